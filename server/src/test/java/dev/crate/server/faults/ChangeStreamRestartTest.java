package dev.crate.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.PrivatePostgresResource;
import dev.crate.server.testing.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A full PostgreSQL restart (stop, a refused write, start) under an open change stream (docs/API.md,
 * section 5b): the stream stays open, the changes stored right after the restart (while the listener
 * connection is still reconnecting, so their notifications are lost) arrive in order from the stored
 * events once it is back, and live changes follow; a client that was away across the restart resumes
 * with its Last-Event-ID, without a {@code reset}, since the events are in the restarted database.
 * Same profile as the other fault tests (no extra Quarkus start).
 */
@QuarkusTest
@TestProfile(PrivatePostgresResource.Profile.class)
class ChangeStreamRestartTest {
    /** The listener reconnects with backoff (up to 5 s between attempts) on a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void heal() throws Exception {
        clients.forEach(SseClient::close);
        PrivatePostgresResource.database().restart();
    }

    private SseClient open(Org org, String lastEventId) throws Exception {
        SseClient client = SseClient.open(
                HTTP,
                URI.create("http://127.0.0.1:" + RestAssured.port + "/organization/" + org.id() + "/secrets/events"),
                org.adminKey(),
                lastEventId);
        clients.add(client);
        assertEquals(200, client.status());
        return client;
    }

    private static String nextName(SseClient client) throws Exception {
        SseClient.Event event = client.next(WAIT);
        assertNotNull(event, "no change within " + WAIT);
        assertEquals("change", event.event(), "a change, not a reset: " + event);
        JsonNode data = Api.JSON.readTree(event.data());
        return data.get("name").asText();
    }

    /** Values sealed while PostgreSQL serves (fetching the public key needs it), each bound to its name. */
    private static Map<String, String> sealed(Org org, List<String> names) {
        Api.PublicKey key = Api.publicKey(org);
        Map<String, String> sealed = new java.util.HashMap<>();
        for (String name : names) {
            sealed.put(
                    name,
                    Sealing.sealJwe(
                            key.key(),
                            key.kid(),
                            Api.destination(org, "dev", name),
                            "v".getBytes(StandardCharsets.UTF_8)));
        }
        return sealed;
    }

    /** Stores, retrying while the pool finds its way back to the restarted server. */
    private static void storeWhenBack(Org org, String name, String sealed) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status;
        do {
            status = Api.storeSealed(org, "dev", name, sealed, null).statusCode();
            if (status / 100 == 2) {
                return;
            }
            assertEquals(503, status, "only 'unavailable' while PostgreSQL comes back");
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("could not store " + name + " within " + WAIT + " (last status " + status + ")");
    }

    @Test
    void aStreamOpenAcrossAPostgresRestartMissesNoChangeAndAResumeAcrossItGetsNoReset() throws Exception {
        Org org = Api.newOrg();
        SseClient stream = open(org, null);
        SseClient away = open(org, null);
        Api.storeOk(org, "dev", "BEFORE", "v", null);
        assertEquals("BEFORE", nextName(stream));
        assertEquals("BEFORE", nextName(away));
        String awayLastId = away.lastId();
        away.close();

        Map<String, String> sealed = sealed(org, List.of("DURING", "AFTER_1", "AFTER_2", "AFTER_3"));
        assertTrue(PrivatePostgresResource.database().stopServer(), "the private PostgreSQL stopped");
        assertEquals(
                503,
                Api.storeSealed(org, "dev", "DURING", sealed.get("DURING"), null)
                        .statusCode(),
                "a write while it is down");
        PrivatePostgresResource.database().restart();
        for (String name : List.of("AFTER_1", "AFTER_2", "AFTER_3")) {
            storeWhenBack(org, name, sealed.get(name));
        }

        assertEquals(
                List.of("AFTER_1", "AFTER_2", "AFTER_3"),
                List.of(nextName(stream), nextName(stream), nextName(stream)));
        Api.storeOk(org, "dev", "LIVE", "v", null);
        assertEquals("LIVE", nextName(stream), "live notifications work again");

        SseClient resumed = open(org, awayLastId);
        assertEquals(
                List.of("AFTER_1", "AFTER_2", "AFTER_3", "LIVE"),
                List.of(nextName(resumed), nextName(resumed), nextName(resumed), nextName(resumed)));
    }
}
