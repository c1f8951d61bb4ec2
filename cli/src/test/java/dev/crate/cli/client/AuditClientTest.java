package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit trail's requests, as a fake server sees them. */
class AuditClientTest {
    private static final String ORG = "00000000-0000-0000-0000-000000000001";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> pages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            byte[] body = (pages.isEmpty() ? "{\"events\":[]}" : pages.remove(0)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AuditClient audit() {
        return new AuditClient(
                new CrateClient("http://127.0.0.1:" + server.getAddress().getPort(), () -> "t"), ORG);
    }

    @Test
    void listWithoutFiltersAsksWithAWellFormedQuery() {
        audit().list(new AuditClient.Filter(null, null, null, null, null), 50);
        assertEquals(List.of("/organization/" + ORG + "/audit?limit=50"), requests);
    }

    @Test
    void listEncodesFiltersAndFollowsTheCursor() {
        pages.add("{\"events\":[{\"seq\":3,\"action\":\"secret.read\"}],\"next_cursor\":\"c 1\"}");
        pages.add("{\"events\":[{\"seq\":2,\"action\":\"secret.read\"}]}");
        assertEquals(
                2,
                audit().list(new AuditClient.Filter(null, null, "a@b.c", "secret.", "dev"), 5)
                        .size());
        assertEquals(
                List.of(
                        "/organization/" + ORG + "/audit?actor=a%40b.c&action=secret.&env=dev&limit=5",
                        "/organization/" + ORG + "/audit?actor=a%40b.c&action=secret.&env=dev&limit=4&cursor=c+1"),
                requests);
    }
}
