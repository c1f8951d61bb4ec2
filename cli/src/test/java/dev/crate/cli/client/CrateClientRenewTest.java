package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refused credential that can be renewed (a workload token exchanged again) is renewed once and the
 * request sent again; one that cannot is reported as it was, and nothing loops.
 */
class CrateClientRenewTest {
    private HttpServer http;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + auth);
            exchange.getRequestBody().readAllBytes();
            boolean ok = "Bearer crate_wl_new".equals(auth);
            byte[] body = (ok
                            ? "{\"ok\":true}"
                            : "{\"type\":\"about:blank\",\"title\":\"Unauthenticated\",\"status\":401,"
                                    + "\"code\":\"unauthenticated\",\"detail\":\"refused\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", ok ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String server() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void aRenewedCredentialIsSentOnceMore() {
        AtomicReference<String> token = new AtomicReference<>("crate_wl_old");
        AtomicInteger renewals = new AtomicInteger();
        CrateClient client = new CrateClient(server(), token::get, () -> {
            renewals.incrementAndGet();
            token.set("crate_wl_new");
            return true;
        });

        assertEquals(Map.of("ok", true), client.sendLean("POST", "/organization/o/secrets/retrieve", Map.of()));
        assertEquals(List.of("POST Bearer crate_wl_old", "POST Bearer crate_wl_new"), seen);
        assertEquals(1, renewals.get());

        seen.clear();
        client.send("PATCH", "/organization/o/workload-identities/ci", Map.of(), Void.class);
        assertEquals(List.of("PATCH Bearer crate_wl_new"), seen, "the renewed token is kept");
    }

    @Test
    void aCredentialThatCannotBeRenewedIsRefusedAsBefore() {
        CrateClient client = new CrateClient(server(), () -> "crate_api_key", () -> false);
        assertThrows(ApiException.NotAuthenticated.class, () -> client.get("/me", Object.class));
        assertEquals(List.of("GET Bearer crate_api_key"), seen);
    }

    @Test
    void aRenewalTheServerStillRefusesIsReportedWithoutLooping() {
        AtomicInteger renewals = new AtomicInteger();
        CrateClient client = new CrateClient(server(), () -> "crate_wl_old", () -> {
            renewals.incrementAndGet();
            return true;
        });
        assertThrows(ApiException.NotAuthenticated.class, () -> client.get("/me", Object.class));
        assertEquals(2, seen.size(), "sent once more, not again and again: " + seen);
        assertEquals(1, renewals.get());
    }
}
