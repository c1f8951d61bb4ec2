package dev.crate.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crate.cli.client.ApiException;
import dev.crate.cli.client.EventsClient;
import dev.crate.protocol.wire.SecretChange;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch over real HTTP (a loopback server speaking the stream of docs/API.md): resume, reset, refusal. */
class WatchTest {
    private static final String ORG = "00000000-0000-0000-0000-000000000001";
    private HttpServer server;
    private Watch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.stop();
        }
        server.stop(0);
    }

    private String start(List<String> bodies, List<String> lastIds, int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/organization/" + ORG + "/secrets/events", exchange -> {
            int call = calls.getAndIncrement();
            lastIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            byte[] body = (call < bodies.size() ? bodies.get(call) : ": idle\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status == 200 ? "text/event-stream" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Recorder(BlockingQueue<String> seen) implements Watch.Listener {
        @Override
        public void change(SecretChange event) {
            seen.add("change " + event.name() + " v" + event.version());
        }

        @Override
        public void resync() {
            seen.add("resync");
        }

        @Override
        public void trouble(String message) {}

        @Override
        public void recovered() {}
    }

    @Test
    void reconnectsWithTheLastEventIdAndPassesOnChangesAndResets() throws Exception {
        List<String> lastIds = new CopyOnWriteArrayList<>();
        String url = start(
                List.of(
                        ": hello\n\nid: 41\nevent: change\ndata: {\"name\":\"DB\",\"environment\":\"dev\","
                                + "\"version\":3,\"action\":\"stored\",\"tags\":[],\"at\":\"2026-12-05T20:31:02.118250Z\"}\n\n",
                        "id: 42\nevent: reset\ndata: {\"reason\":\"gap\"}\n\n"),
                lastIds,
                200);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        watch = new Watch(new EventsClient(url, () -> "t", ORG, "dev", List.of(), null), new Recorder(seen));
        watch.start();
        assertEquals("change DB v3", seen.poll(10, TimeUnit.SECONDS));
        assertEquals("resync", seen.poll(10, TimeUnit.SECONDS));
        assertEquals("null", lastIds.get(0));
        assertEquals("41", lastIds.get(1), "the reconnect resumes after the last event seen");
    }

    @Test
    void aRefusedCredentialAtStartIsThrownToTheCaller() throws Exception {
        String url = start(
                List.of("{\"status\":401,\"code\":\"unauthenticated\",\"title\":\"Unauthorized\"}"),
                new CopyOnWriteArrayList<>(),
                401);
        watch = new Watch(
                new EventsClient(url, () -> "t", ORG, "dev", List.of(), null),
                new Recorder(new LinkedBlockingQueue<>()));
        ApiException refused = assertThrows(ApiException.class, watch::start);
        assertEquals(401, refused.status());
    }

    @Test
    void anUnreachableServerIsTroubleNotFailure() throws Exception {
        String url = start(List.of(), new CopyOnWriteArrayList<>(), 200);
        server.stop(0);
        BlockingQueue<String> troubles = new LinkedBlockingQueue<>();
        watch = new Watch(new EventsClient(url, () -> "t", ORG, "dev", List.of(), null), new Watch.Listener() {
            @Override
            public void change(SecretChange event) {}

            @Override
            public void resync() {}

            @Override
            public void trouble(String message) {
                troubles.add(message);
            }

            @Override
            public void recovered() {}
        });
        watch.start();
        String message = troubles.poll(10, TimeUnit.SECONDS);
        assertTrue(message != null && message.contains("cannot reach"), String.valueOf(message));
    }
}
