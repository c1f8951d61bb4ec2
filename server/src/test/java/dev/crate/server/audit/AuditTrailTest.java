package dev.crate.server.audit;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The audit trail as a client and an auditor see it: one record per read and change, with actor, target
 * and origin; denied attempts on record; a chain that verifies and that names the first link an edit,
 * deletion, reordering or truncation made directly in PostgreSQL broke; and reads that fail when their
 * record cannot be written.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
public class AuditTrailTest {
    @Inject
    AuditService auditService;

    static String adminKeyId(Org org) {
        return as(org.adminKey()).get("/organization/" + org.id() + "/api-keys").path("api_keys[0].id");
    }

    public static JsonNode events(Org org, String query) throws Exception {
        String body = as(org.adminKey())
                .get("/organization/" + org.id() + "/audit?limit=1000" + query)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return Api.JSON.readTree(body).get("events");
    }

    public static JsonNode verify(Org org) throws Exception {
        return Api.JSON.readTree(as(org.adminKey())
                .get("/organization/" + org.id() + "/audit/verify")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** An org with a handful of records: creation, stores, a read, a delete. */
    static Org orgWithHistory() {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "A", "value-a", List.of("t"));
        Api.storeOk(org, "dev", "B", "value-b", null);
        Api.retrieve(org, "dev", null, null);
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/secrets/B")
                .then()
                .statusCode(204);
        return org;
    }

    static void sql(String statement) throws Exception {
        try (Connection c = PostgresResource.connect();
                var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void everyReadAndChangeLeavesOneRecordWithActorTargetAndOrigin() throws Exception {
        Org org = Api.newOrg();
        String requestId = "audit-test-" + UUID.randomUUID();
        as(org.adminKey())
                .header("User-Agent", "audit-test-agent/1.0")
                .header("X-Request-Id", requestId)
                .body(Map.of(
                        "name",
                        "DB_URL",
                        "environment",
                        "prod",
                        "sealed",
                        true,
                        "encrypted_value",
                        sealed(org, "prod", "DB_URL", "postgres://secret")))
                .put("/organization/" + org.id() + "/secrets")
                .then()
                .statusCode(200);
        Api.retrieve(org, "prod", List.of("DB_URL"), null);

        JsonNode events = events(org, "");
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(List.of("secret.read", "secret.write", "organization.create"), actions);
        JsonNode write = events.get(1);
        assertEquals("api_key", write.get("actor_type").asText());
        assertEquals(adminKeyId(org), write.get("actor_id").asText());
        assertEquals("bootstrap admin", write.get("actor_name").asText());
        assertEquals("prod", write.get("environment").asText());
        assertEquals("DB_URL", write.get("name").asText());
        assertEquals(1, write.get("version").asInt());
        assertEquals("success", write.get("outcome").asText());
        assertEquals(requestId, write.get("request_id").asText());
        assertEquals("audit-test-agent/1.0", write.get("user_agent").asText());
        assertTrue(write.get("client_ip").asText().matches("[0-9a-f.:]+"), write.toString());
        JsonNode read = events.get(0);
        assertEquals("DB_URL", read.get("name").asText());
        assertEquals(1, read.get("version").asInt());
        assertTrue(read.get("detail").asText().contains("\"DB_URL\""));
    }

    @Test
    void anIntactChainVerifies() throws Exception {
        Org org = orgWithHistory();
        JsonNode result = verify(org);
        assertTrue(result.get("intact").asBoolean(), result.toString());
        assertEquals(5, result.get("checked").asInt());
        assertEquals(5, result.get("last_seq").asInt());
        assertNull(result.get("first_broken"));
    }

    @Test
    void detectsARecordEditedInTheDatabase() throws Exception {
        Org org = orgWithHistory();
        sql("update audit_events set actor_name = 'someone else' where org_id = '" + org.id() + "' and seq = 3");
        assertBroken(org, 3, "hash_mismatch");
    }

    @Test
    void detectsARecordDeletedFromTheDatabase() throws Exception {
        Org org = orgWithHistory();
        sql("delete from audit_events where org_id = '" + org.id() + "' and seq = 4");
        assertBroken(org, 4, "record_missing");
    }

    @Test
    void detectsRecordsReorderedInTheDatabase() throws Exception {
        Org org = orgWithHistory();
        String where = "where org_id = '" + org.id() + "' and seq = ";
        sql("update audit_events set seq = -1 " + where + "2; update audit_events set seq = 2 " + where + "3; "
                + "update audit_events set seq = 3 " + where + "-1");
        assertBroken(org, 2, "prev_hash_mismatch");
    }

    @Test
    void detectsADeletedRecordWhoseSuccessorsWereRenumbered() throws Exception {
        Org org = orgWithHistory();
        String where = "where org_id = '" + org.id() + "'";
        sql("delete from audit_events " + where + " and seq = 2; update audit_events set seq = seq - 1 " + where
                + " and seq > 2");
        assertBroken(org, 2, "prev_hash_mismatch");
    }

    @Test
    void detectsATailCutOff() throws Exception {
        Org org = orgWithHistory();
        sql("delete from audit_events where org_id = '" + org.id() + "' and seq = 5");
        assertBroken(org, 5, "record_missing");
    }

    private static void assertBroken(Org org, int seq, String reason) throws Exception {
        JsonNode result = verify(org);
        assertFalse(result.get("intact").asBoolean(), result.toString());
        assertEquals(seq, result.get("first_broken").get("seq").asInt(), result.toString());
        assertEquals(reason, result.get("first_broken").get("reason").asText(), result.toString());
    }

    @Test
    void aReadFailsClosedWhenItsRecordCannotBeWritten() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "GUARDED", "guarded-value", null);
        failAuditInserts(org);
        try {
            TemporaryKey key = TemporaryKey.generate();
            Response response = as(org.adminKey())
                    .body(new RetrieveRequest("dev", List.of("GUARDED"), null, null, key.publicJwk()))
                    .post("/organization/" + org.id() + "/secrets/retrieve");
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("audit_unavailable", response.path("code"));
            assertNull(response.path("sealed_payload"));
        } finally {
            sql("drop trigger if exists crate_test_fail_audit on audit_events");
        }
        assertEquals("guarded-value", Api.value(Api.retrieve(org, "dev", List.of("GUARDED"), null), "GUARDED"));
    }

    @Test
    void aWriteIsUndoneWhenItsRecordCannotBeWritten() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "KEPT", "first", null);
        failAuditInserts(org);
        try {
            Response response = Api.store(org, "dev", "KEPT", "second", null);
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("audit_unavailable", response.path("code"));
        } finally {
            sql("drop trigger if exists crate_test_fail_audit on audit_events");
        }
        assertEquals(1, (int)
                as(org.adminKey()).get("/organization/" + org.id() + "/secrets").path("secrets[0].version"));
        assertEquals("first", Api.value(Api.retrieve(org, "dev", List.of("KEPT"), null), "KEPT"));
        assertTrue(verify(org).get("intact").asBoolean());
    }

    /** A trigger that refuses this org's audit inserts, made directly in PostgreSQL. */
    private static void failAuditInserts(Org org) throws Exception {
        sql(
                "create or replace function crate_test_fail_audit() returns trigger language plpgsql as $$ begin "
                        + "if new.org_id = '" + org.id()
                        + "' then raise exception 'audit refused by the test'; end if; return new; end $$; "
                        + "drop trigger if exists crate_test_fail_audit on audit_events; "
                        + "create trigger crate_test_fail_audit before insert on audit_events for each row execute function crate_test_fail_audit()");
    }

    @Test
    void deniedAttemptsAreOnRecord() throws Exception {
        Org org = Api.newOrg();
        String viewer = Api.apiKey(org, "viewer");
        String viewerId = as(org.adminKey())
                .get("/organization/" + org.id() + "/api-keys")
                .path("api_keys.find { it.role == 'viewer' }.id");
        as(viewer)
                .body(new RetrieveRequest(
                        "prod", null, null, null, TemporaryKey.generate().publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve")
                .then()
                .statusCode(403);
        JsonNode denied = events(org, "&action=secret.read").get(0);
        assertEquals("denied", denied.get("outcome").asText());
        assertEquals("forbidden", denied.get("reason").asText());
        assertEquals(viewerId, denied.get("actor_id").asText());
        assertEquals("prod", denied.get("environment").asText());
    }

    @Test
    void anotherOrgsProbesAreOnTheProbedOrgsRecordWithoutNamingTheForeignKey() throws Exception {
        Org alice = Api.newOrg();
        Org bob = Api.newOrg();
        as(bob.adminKey())
                .get("/organization/" + alice.id() + "/secrets")
                .then()
                .statusCode(404);
        // recorded after the answer went out (see aForeignOrgsIdAndAMadeUpIdAnswerAlikeWithoutWaitingOnEither)
        JsonNode denied = awaitDenials(alice, "&action=access", 1).get(0);
        assertEquals("denied", denied.get("outcome").asText());
        assertEquals("organization_not_found", denied.get("reason").asText());
        assertEquals(adminKeyId(bob), denied.get("actor_id").asText());
        assertNull(denied.get("actor_name"));
        assertTrue(verify(alice).get("intact").asBoolean());
    }

    /** The denied records of {@code org} matching {@code query}, once there are at least {@code atLeast}. */
    static List<JsonNode> awaitDenials(Org org, String query, int atLeast) throws Exception {
        for (int i = 0; ; i++) {
            List<JsonNode> denied = new ArrayList<>();
            events(org, query).forEach(e -> {
                if ("denied".equals(e.get("outcome").asText())) {
                    denied.add(e);
                }
            });
            if (denied.size() >= atLeast || i == 600) {
                assertTrue(denied.size() >= atLeast, "denied records so far: " + denied);
                return denied;
            }
            Thread.sleep(50);
        }
    }

    /** How many attempts {@code records} stand for: 1 each, or the count of an aggregate. */
    static int attempts(List<JsonNode> records) throws Exception {
        int n = 0;
        for (JsonNode r : records) {
            JsonNode detail = r.get("detail") == null || r.get("detail").isNull()
                    ? null
                    : Api.JSON.readTree(r.get("detail").asText());
            n += detail != null && detail.path("aggregated").asBoolean()
                    ? detail.get("repeated").asInt()
                    : 1;
        }
        return n;
    }

    @Test
    void repeatedDenialsOfOneKindAreWrittenOnceAndCountedInOneAggregate() throws Exception {
        Org org = Api.newOrg();
        String viewer = Api.apiKey(org, "viewer");
        for (int i = 0; i < 30; i++) {
            as(viewer)
                    .body(Map.of("tier", "org"))
                    .post("/organization/" + org.id() + "/keys/rotate")
                    .then()
                    .statusCode(403);
        }
        List<JsonNode> first = awaitDenials(org, "&action=key.rotate", 1);
        assertEquals(1, first.size(), "only the first of the window is written at once: " + first);
        auditService.flushDenials().await().indefinitely();
        List<JsonNode> all = awaitDenials(org, "&action=key.rotate", 2);
        assertEquals(2, all.size(), all.toString());
        JsonNode aggregate = all.get(0);
        JsonNode detail = Api.JSON.readTree(aggregate.get("detail").asText());
        assertEquals(29, detail.get("repeated").asInt(), detail.toString());
        assertEquals("forbidden", aggregate.get("reason").asText());
        assertEquals(30, attempts(all));
        assertTrue(verify(org).get("intact").asBoolean());
    }

    @Test
    void probesOfAnotherOrgCannotFloodItsChain() throws Exception {
        Org alice = Api.newOrg();
        Org bob = Api.newOrg();
        int probes = 40;
        for (int i = 0; i < probes; i++) {
            as(bob.adminKey())
                    .get("/organization/" + alice.id() + "/secrets")
                    .then()
                    .statusCode(404);
        }
        // recorded in the background: flush until every probe is accounted for
        List<JsonNode> denied = List.of();
        for (int i = 0; i < 200 && attempts(denied) < probes; i++) {
            Thread.sleep(100);
            auditService.flushDenials().await().indefinitely();
            denied = awaitDenials(alice, "&action=access", 1);
        }
        assertEquals(probes, attempts(denied), denied.toString());
        assertTrue(denied.size() <= 10, "40 probes, " + denied.size() + " records: " + denied);
        assertTrue(verify(alice).get("intact").asBoolean());
    }

    @Test
    void aForeignOrgsIdAndAMadeUpIdAnswerAlikeWithoutWaitingOnEither() throws Exception {
        Org alice = Api.newOrg();
        Org bob = Api.newOrg();
        String existing = "/organization/" + alice.id() + "/secrets";
        String madeUp = "/organization/" + UUID.randomUUID() + "/secrets";
        as(bob.adminKey()).get(madeUp).then().statusCode(404);
        ExecutorService client = Executors.newFixedThreadPool(2);
        try (Connection c = PostgresResource.connect()) {
            c.setAutoCommit(false);
            // No statement about any organization can run while this is held: an answer that depended on
            // whether the org exists (the look-up, the denial's record) could not come back before the
            // statement timeout (15 s). Both must come back while it is held, and alike.
            c.createStatement().execute("lock table organizations in access exclusive mode");
            Future<Response> foreign = client.submit(() -> as(bob.adminKey()).get(existing));
            Future<Response> random = client.submit(() -> as(bob.adminKey()).get(madeUp));
            Response a = foreign.get(10, java.util.concurrent.TimeUnit.SECONDS);
            Response b = random.get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (Response r : List.of(a, b)) {
                r.then().statusCode(404).body("code", equalTo("organization_not_found"));
            }
            assertEquals(a.path("title"), (Object) b.path("title"));
            assertEquals(a.path("detail"), (Object) b.path("detail"));
            assertEquals(a.getHeaders().asList().size(), b.getHeaders().asList().size());
            c.rollback();
        } finally {
            client.shutdownNow();
        }
        // the probe of the existing org is on its record all the same, once the lock is gone
        assertEquals(
                "organization_not_found",
                awaitDenials(alice, "&action=access", 1).get(0).get("reason").asText());
    }

    @Test
    void concurrentReadsAndWritesFormOneUnbrokenChain() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "BUSY", "v", null);
        String sealed = sealed(org, "dev", "BUSY", "busy-value");
        // more concurrent readers than the server has database connections (16)
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                boolean write = i % 4 == 0;
                calls.add(() -> write
                        ? Api.storeSealed(org, "dev", "BUSY", sealed, null).statusCode()
                        : as(org.adminKey())
                                .body(new RetrieveRequest(
                                        "dev",
                                        null,
                                        null,
                                        null,
                                        TemporaryKey.generate().publicJwk()))
                                .post("/organization/" + org.id() + "/secrets/retrieve")
                                .statusCode());
            }
            List<Future<Integer>> results = new ArrayList<>();
            calls.forEach(call -> results.add(pool.submit(call)));
            for (Future<Integer> result : results) {
                assertEquals(200, result.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdown();
        }
        JsonNode result = verify(org);
        assertTrue(result.get("intact").asBoolean(), result.toString());
        assertEquals(82, result.get("checked").asInt());
    }

    @Test
    void listsPageByPageWithFilters() throws Exception {
        Org org = orgWithHistory();
        String path = "/organization/" + org.id() + "/audit";
        Response first = as(org.adminKey()).get(path + "?limit=4");
        assertEquals(4, (int) first.path("events.size()"));
        assertEquals(5, (int) first.path("events[0].seq"));
        String cursor = first.path("next_cursor");
        assertNotNull(cursor);
        Response second = as(org.adminKey()).get(path + "?limit=4&cursor=" + cursor);
        assertEquals(List.of(1), second.path("events.seq"));
        assertNull(second.path("next_cursor"));
        assertEquals(
                List.of("secret.delete"),
                as(org.adminKey()).get(path + "?action=secret.delete").path("events.action"));
        assertEquals(4, (int) as(org.adminKey()).get(path + "?action=secret.").path("events.size()"));
        assertEquals(4, (int) as(org.adminKey()).get(path + "?env=dev").path("events.size()"));
        assertEquals(0, (int) as(org.adminKey()).get(path + "?env=prod").path("events.size()"));
        assertEquals(
                4, (int) as(org.adminKey()).get(path + "?actor=bootstrap admin").path("events.size()"));
        assertEquals(0, (int) as(org.adminKey()).get(path + "?from=2999-01-01").path("events.size()"));
        assertEquals(5, (int)
                as(org.adminKey()).get(path + "?to=2999-01-01T00:00:00Z").path("events.size()"));
        as(org.adminKey())
                .get(path + "?from=yesterday")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_audit_query"));
        as(org.adminKey())
                .get(path + "?cursor=abc")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_audit_query"));
    }

    @Test
    void exportsJsonLinesWhoseHashesChainAndCsvWithTheSameRecords() throws Exception {
        Org org = orgWithHistory();
        Response jsonl = as(org.adminKey()).get("/organization/" + org.id() + "/audit/export");
        jsonl.then().statusCode(200);
        assertTrue(jsonl.contentType().startsWith("application/x-ndjson"), jsonl.contentType());
        String[] lines = jsonl.asString().strip().split("\n");
        // the five records, then the export's own record (written before the first line went out)
        assertEquals(6, lines.length, jsonl.asString());
        String prev = "0".repeat(64);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("{\"id\":"), lines[i]);
            JsonNode line = Api.JSON.readTree(lines[i]);
            assertEquals(i + 1, line.get("seq").asInt());
            assertEquals(prev, line.get("prev_hash").asText());
            prev = line.get("hash").asText();
        }
        Response csv = as(org.adminKey()).get("/organization/" + org.id() + "/audit/export?format=csv");
        csv.then().statusCode(200);
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        String[] rows = csv.asString().split("\r\n");
        assertTrue(rows[0].startsWith("id,seq,occurred_at,actor_type"), rows[0]);
        // header, the five records, the first export's record and this one's
        assertEquals(8, rows.length, csv.asString());
        assertTrue(rows[7].contains("audit.export"), rows[7]);
        as(org.adminKey())
                .get("/organization/" + org.id() + "/audit/export?format=xml")
                .then()
                .statusCode(400);
    }

    @Test
    void retentionRemovesOldRecordsAndTheRestVerifiesFromAnAuthenticatedCheckpoint() throws Throwable {
        Org org = orgWithHistory();
        sql("update audit_events set occurred_at = now() - interval '100 days' where org_id = '" + org.id()
                + "' and seq <= 3");
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.arc.Arc.container()
                .instance(dev.crate.server.audit.trail.AuditRetentionJob.class)
                .get()
                .run(java.time.OffsetDateTime.now().minusDays(90)));
        JsonNode events = events(org, "");
        assertEquals("audit.retention", events.get(0).get("action").asText());
        assertEquals(4, events.get(events.size() - 1).get("seq").asInt());
        JsonNode result = verify(org);
        assertTrue(result.get("intact").asBoolean(), result.toString());
        assertEquals(3, result.get("anchor_seq").asInt());
        assertEquals(3, result.get("checked").asInt());

        sql("update audit_checkpoints set seq = 4 where org_id = '" + org.id() + "'");
        JsonNode forged = verify(org);
        assertFalse(forged.get("intact").asBoolean(), forged.toString());
        assertEquals(
                "checkpoint_invalid", forged.get("first_broken").get("reason").asText());
    }

    static String sealed(Org org, String env, String name, String value) {
        Api.PublicKey key = Api.publicKey(org);
        return dev.crate.protocol.sealing.Sealing.sealJwe(
                key.key(),
                key.kid(),
                Api.destination(org, env, name),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
