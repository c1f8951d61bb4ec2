package dev.crate.server.events;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.PostgresResource;
import dev.crate.server.testing.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change stream in one server on a real PostgreSQL: format, resume, gaps, access, limits, a cut listener. */
@QuarkusTest
@TestProfile(EventsProfile.class)
class SecretEventsTest {
    static final int MAX_QUEUED = 1200;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<SseClient> clients = new ArrayList<>();
    private Org org;

    @Inject
    SecretEventRepository repository;

    @Inject
    EventHub hub;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg(); // with environments dev, staging and prod
    }

    @AfterEach
    void closeStreams() {
        clients.forEach(SseClient::close);
    }

    private SseClient open(String token, String query, String lastEventId) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + RestAssured.port + "/organization/" + org.id() + "/secrets/events"
                + (query == null ? "" : "?" + query));
        SseClient client = SseClient.open(HTTP, uri, token, lastEventId);
        clients.add(client);
        return client;
    }

    private SseClient openOk(String token, String query, String lastEventId) throws Exception {
        SseClient client = open(token, query, lastEventId);
        int status = client.status();
        if (status != 200) { // body() waits for the end of the answer: only a refusal has one
            assertEquals(200, status, client.body());
        }
        return client;
    }

    private static JsonNode data(SseClient.Event event) throws Exception {
        return Api.JSON.readTree(event.data());
    }

    private SseClient.Event nextChange(SseClient client) throws Exception {
        SseClient.Event event = client.next(WAIT);
        assertNotNull(event, "no event within " + WAIT);
        assertEquals("change", event.event());
        return event;
    }

    @Test
    void aStoreReachesAnOpenStreamAsAChangeWithItsEventIdAndNoValue() throws Exception {
        SseClient stream = openOk(org.adminKey(), null, null);
        Api.storeOk(org, "dev", "DB_PASSWORD", "canary-value-8f3a1c", List.of("backend"));
        SseClient.Event event = nextChange(stream);
        JsonNode data = data(event);
        assertEquals("DB_PASSWORD", data.get("name").asText());
        assertEquals("dev", data.get("environment").asText());
        assertEquals(1, data.get("version").asInt());
        assertEquals("stored", data.get("action").asText());
        assertEquals("backend", data.get("tags").get(0).asText());
        assertNotNull(OffsetDateTime.parse(data.get("at").asText()));
        assertTrue(Long.parseLong(event.id()) > 0);
        assertFalse(event.data().contains("canary-value-8f3a1c"));
    }

    @Test
    void theEventsTableNeverHoldsAValue() throws Exception {
        Api.storeOk(org, "dev", "CANARY", "canary-value-77e0b2", null);
        try (Connection c = PostgresResource.connect();
                Statement s = c.createStatement();
                ResultSet rows =
                        s.executeQuery("select e::text from secret_events e where org_id = '" + org.id() + "'")) {
            int n = 0;
            while (rows.next()) {
                n++;
                assertFalse(rows.getString(1).contains("canary-value-77e0b2"), rows.getString(1));
            }
            assertEquals(1, n);
        }
    }

    @Test
    void everyActionIsAnEvent() throws Exception {
        SseClient stream = openOk(org.adminKey(), "env=dev", null);
        Api.storeOk(org, "dev", "A", "one", null);
        Api.storeOk(org, "dev", "A", "two", null);
        String path = "/organization/" + org.id() + "/secrets/A";
        as(org.adminKey())
                .body(Map.of("version", 1))
                .post(path + "/rollback?env=dev")
                .then()
                .statusCode(200);
        as(org.adminKey()).delete(path + "?env=dev").then().statusCode(204);
        as(org.adminKey()).post(path + "/restore?env=dev").then().statusCode(200);
        as(org.adminKey()).delete(path + "?env=dev&purge=true").then().statusCode(204);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode data = data(nextChange(stream));
            seen.add(data.get("action").asText() + ":" + data.get("version").asInt());
        }
        assertEquals(List.of("stored:1", "stored:2", "rolled_back:3", "deleted:3", "restored:3", "purged:3"), seen);
    }

    @Test
    void lastEventIdResumesAfterADisconnectWithoutLoss() throws Exception {
        SseClient first = openOk(org.adminKey(), null, null);
        Api.storeOk(org, "dev", "ONE", "1", null);
        String lastId = nextChange(first).id();
        first.close();
        Api.storeOk(org, "dev", "TWO", "2", null);
        Api.storeOk(org, "dev", "THREE", "3", null);
        SseClient again = openOk(org.adminKey(), null, lastId);
        assertEquals("TWO", data(nextChange(again)).get("name").asText());
        assertEquals("THREE", data(nextChange(again)).get("name").asText());
        Api.storeOk(org, "dev", "FOUR", "4", null);
        assertEquals("FOUR", data(nextChange(again)).get("name").asText());
        assertNull(again.next(Duration.ofMillis(500)), "nothing twice");
    }

    @Test
    void aStreamWithoutLastEventIdStartsWithItsPosition() throws Exception {
        Api.storeOk(org, "dev", "BEFORE", "1", null);
        SseClient stream = openOk(org.adminKey(), null, null);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stream.lastId() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNotNull(stream.lastId(), "an id line without data comes first");
        assertNull(stream.next(Duration.ofMillis(500)), "no change from before the stream opened");
    }

    @Test
    void aResumeFromBeforeTheRetentionWindowGetsAReset() throws Exception {
        SseClient first = openOk(org.adminKey(), null, null);
        Api.storeOk(org, "dev", "OLD", "1", null);
        long id = Long.parseLong(nextChange(first).id());
        first.close();
        repository.deleteBefore(OffsetDateTime.now().plusSeconds(1)).await().atMost(WAIT);
        SseClient again = openOk(org.adminKey(), null, Long.toString(id - 1));
        SseClient.Event reset = again.next(WAIT);
        assertNotNull(reset);
        assertEquals("reset", reset.event());
        assertEquals("gap", data(reset).get("reason").asText());
        Api.storeOk(org, "dev", "NEW", "2", null);
        assertEquals("NEW", data(nextChange(again)).get("name").asText());
    }

    @Test
    void anUnknownFutureEventIdGetsAReset() throws Exception {
        SseClient stream = openOk(org.adminKey(), null, Long.toString(Long.MAX_VALUE / 2));
        SseClient.Event reset = stream.next(WAIT);
        assertNotNull(reset);
        assertEquals("reset", reset.event());
    }

    @Test
    void aMalformedLastEventIdIsRefused() throws Exception {
        SseClient stream = open(org.adminKey(), null, "not-a-number");
        assertEquals(400, stream.status());
        assertTrue(stream.body().contains("malformed_request"), stream.body());
    }

    @Test
    void aViewerLimitedToDevNeverReceivesProdEvents() throws Exception {
        String viewer = key(Map.of("name", "dev viewer", "role", "viewer", "environments", List.of("dev")));
        SseClient stream = openOk(viewer, null, null);
        Api.storeOk(org, "prod", "PROD_ONLY", "p", null);
        Api.storeOk(org, "dev", "DEV_ONE", "d", null);
        JsonNode data = data(nextChange(stream));
        assertEquals("DEV_ONE", data.get("name").asText());
        assertNull(stream.next(Duration.ofMillis(500)));
        SseClient prod = open(viewer, "env=prod", null);
        assertEquals(403, prod.status());
    }

    @Test
    void aTagScopedKeyReceivesOnlyItsTags() throws Exception {
        String scoped = key(Map.of("name", "payments", "role", "viewer", "tags", List.of("payments")));
        SseClient stream = openOk(scoped, null, null);
        Api.storeOk(org, "dev", "OTHER", "o", List.of("search"));
        Api.storeOk(org, "dev", "STRIPE", "s", List.of("payments"));
        assertEquals("STRIPE", data(nextChange(stream)).get("name").asText());
        assertNull(stream.next(Duration.ofMillis(500)));
    }

    @Test
    void filtersByNamesAndTags() throws Exception {
        SseClient byName = openOk(org.adminKey(), "names=B,C", null);
        SseClient byTag = openOk(org.adminKey(), "tags=x", null);
        Api.storeOk(org, "dev", "A", "a", List.of("x"));
        Api.storeOk(org, "dev", "B", "b", null);
        assertEquals("B", data(nextChange(byName)).get("name").asText());
        assertEquals("A", data(nextChange(byTag)).get("name").asText());
        assertNull(byName.next(Duration.ofMillis(300)));
        assertNull(byTag.next(Duration.ofMillis(300)));
    }

    @Test
    void revokingTheKeyClosesItsStream() throws Exception {
        var created = as(org.adminKey())
                .body(Map.of("name", "soon revoked", "role", "viewer"))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract();
        String key = created.path("key");
        String keyId = created.path("id");
        SseClient stream = openOk(key, null, null);
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/api-keys/" + keyId)
                .then()
                .statusCode(204);
        Api.storeOk(org, "dev", "AFTER_REVOKE", "x", null);
        assertTrue(stream.awaitEnd(WAIT), "the stream ends at the next event or heartbeat");
        assertNull(stream.next(Duration.ofMillis(100)), "the event after the revocation is not sent");
    }

    @Test
    void openingMoreStreamsThanTheLimitGives429() throws Exception {
        String key = key(Map.of("name", "many streams", "role", "viewer"));
        for (int i = 0; i < 4; i++) {
            openOk(key, null, null);
        }
        SseClient refused = open(key, null, null);
        assertEquals(429, refused.status());
        assertTrue(refused.body().contains("too_many_streams"), refused.body());
        clients.get(0).close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            SseClient retry = open(key, null, null);
            status = retry.status();
            if (status == 200) {
                break;
            }
            retry.close();
            Thread.sleep(100);
        }
        assertEquals(200, status, "a closed stream frees its place");
    }

    @Test
    void aCutListenerConnectionIsReplacedAndNoChangeIsMissed() throws Exception {
        SseClient stream = openOk(org.adminKey(), null, null);
        try (Connection c = PostgresResource.connect();
                Statement s = c.createStatement()) {
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'crate-notify' "
                    + "and datname = current_database()");
        }
        for (String name : List.of("CUT_1", "CUT_2", "CUT_3")) {
            Api.storeOk(org, "dev", name, "v", null);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(data(nextChange(stream)).get("name").asText());
        }
        assertEquals(List.of("CUT_1", "CUT_2", "CUT_3"), names);
        Api.storeOk(org, "dev", "CUT_4", "v", null);
        assertEquals("CUT_4", data(nextChange(stream)).get("name").asText());
    }

    /**
     * A client that stops reading (a raw socket with a tiny receive buffer) while thousands of changes are
     * written: once the kernel's buffers are full, what waits for it grows to the bound and no further (the
     * stream is closed instead); the connection ends, and a resume from the last event id the client did
     * get continues with the next event: nothing is lost.
     */
    @Test
    void aClientThatStopsReadingHasItsStreamClosedAtTheBoundAndResumesWithoutLoss() throws Exception {
        UUID orgId = UUID.fromString(org.id());
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            socket.getOutputStream()
                    .write(("GET /organization/" + org.id() + "/secrets/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + org.adminKey()
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (hub.streams(orgId).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, hub.streams(orgId).size(), "the raw client's stream is open");
            EventStream stream = hub.streams(orgId).get(0);
            // ~1 KiB per event; up to 64 MiB in all, far more than loopback's socket buffers hold
            String tags = "array[" + String.join(",", Collections.nCopies(30, "'t" + "x".repeat(28) + "'")) + "]";
            int batches = 0;
            try (Connection c = PostgresResource.connect();
                    Statement s = c.createStatement()) {
                while (!hub.streams(orgId).isEmpty() && batches < 32) {
                    s.execute("insert into secret_events (org_id, environment, name, version, action, tags, at) "
                            + "select '" + orgId + "', 'dev', 'SLOW_' || g, 1, 'stored', " + tags + ", now() "
                            + "from generate_series(1, 2000) g");
                    s.execute("select pg_notify('" + SecretEvents.CHANNEL + "', '" + orgId + ":' || "
                            + "(select max(id) from secret_events where org_id = '" + orgId + "'))");
                    batches++;
                    long settle = System.nanoTime() + WAIT.toNanos();
                    // the hub reads and offers the batch; then either the stream is gone or all was taken
                    while (!hub.streams(orgId).isEmpty()
                            && stream.lastId() < newest(c, orgId)
                            && System.nanoTime() < settle) {
                        Thread.sleep(20);
                    }
                }
            }
            assertTrue(hub.streams(orgId).isEmpty(), "closed after " + batches + " batches of 2 000 changes");
            assertTrue(stream.mostQueued() <= MAX_QUEUED, "never more than the bound waiting: " + stream.mostQueued());
            assertTrue(stream.mostQueued() > 0, "the client did stop taking what was sent");
            // what reached the client before the close: read to the end of the connection
            socket.setSoTimeout((int) WAIT.toMillis());
            String lastId = null;
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("id:")) {
                    lastId = line.substring(3).trim();
                }
            }
            assertNotNull(lastId, "the client got events before it stopped reading");
            SseClient resumed = openOk(org.adminKey(), null, lastId);
            SseClient.Event next = nextChange(resumed);
            try (Connection c = PostgresResource.connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select min(id) from secret_events where org_id = '" + orgId
                            + "' and id > " + Long.parseLong(lastId))) {
                assertTrue(r.next());
                assertEquals(r.getLong(1), Long.parseLong(next.id()), "the resume starts at the next event");
            }
        }
    }

    private static long newest(Connection c, UUID orgId) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select max(id) from secret_events where org_id = '" + orgId + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private String key(Map<String, Object> body) {
        return as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }
}
