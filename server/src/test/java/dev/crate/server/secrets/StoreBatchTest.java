package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.events.SecretEvents;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.OrganizationRecord;
import dev.crate.server.keys.KeyService;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.DatabaseOnlyProfile;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreBatch} under real concurrency: many stores of one org at once, through the REST API, a mix of
 * distinct names, shared names, check-and-set stores and stores refused by tag scope. Every store gets the
 * answer it would get alone, and the org's rows hold exactly the successful stores: one version (readable,
 * with its value), one wrap on the org key, one audit record and one change event each, nothing for a
 * refused one. Reuses {@link SecretRacesTest}'s profile (no extra Quarkus start).
 */
@QuarkusTest
@TestProfile(DatabaseOnlyProfile.class)
class StoreBatchTest {
    @Inject
    StoreBatch batch;

    @Inject
    Pool pool;

    @Inject
    KeyService keys;

    @Inject
    AuditService audit;

    @Inject
    SecretEvents events;

    private static final int THREADS = 16;
    private static final int STORES_PER_THREAD = 20;
    private static final int SHARED_NAMES = 4;
    private static final String ENV = "dev";

    /** One store as sent: who, where, and the answer expected. */
    private record Call(
            String key, String name, String value, List<String> tags, Integer expectedVersion, Expect expect) {}

    private enum Expect {
        OK,
        /** check-and-set on a never-stored name from every thread: exactly one of them wins. */
        ONE_WINS,
        CONFLICT,
        FORBIDDEN,
        /** A secret the key cannot see answers as if it did not exist (docs/API.md, "Secrets a key cannot see"). */
        HIDDEN
    }

    private record Answer(Call call, int status, String code, int version) {}

    @Test
    void concurrentStoresOfOneOrgEachCommitExactlyOnce() throws Exception {
        Org org = Api.newOrg();
        UUID orgId = UUID.fromString(org.id());
        String scoped = as(org.adminKey())
                .body(Map.of("name", "team only", "role", "admin", "tags", List.of("team")))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        // a secret the scoped key may not write; and the shared names exist before the race
        Api.storeOk(org, ENV, "FOREIGN", "foreign-1", List.of("other"));
        for (int s = 0; s < SHARED_NAMES; s++) {
            Api.storeOk(org, ENV, "SHARED_" + s, "shared-" + s + "-initial", null);
        }
        int setupStores = 1 + SHARED_NAMES;
        Api.PublicKey publicKey = Api.publicKey(org);
        long wrapsBefore = wrapCount(orgId);

        List<List<Call>> plan = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < STORES_PER_THREAD; i++) {
                String value = "value-" + t + "-" + i + "-" + UUID.randomUUID();
                String admin = org.adminKey();
                calls.add(
                        switch (i % 4) {
                            case 0 -> new Call(admin, "SHARED_" + (t + i) % SHARED_NAMES, value, null, null, Expect.OK);
                            case 1 ->
                                new Call(admin, "DISTINCT_" + t + "_" + i, value, List.of("t" + t), null, Expect.OK);
                            case 3 -> new Call(admin, "OWN_" + t, value, null, null, Expect.OK);
                            default ->
                                switch (i) {
                                    case 2 -> new Call(admin, "CAS_" + t % 4, value, null, 0, Expect.ONE_WINS);
                                    case 6 ->
                                        new Call(
                                                admin,
                                                "SHARED_" + t % SHARED_NAMES,
                                                value,
                                                null,
                                                100_000,
                                                Expect.CONFLICT);
                                    case 10 -> new Call(scoped, "FOREIGN", value, null, null, Expect.HIDDEN);
                                    case 14 -> new Call(scoped, "UNTAGGED_" + t, value, null, null, Expect.FORBIDDEN);
                                    default -> new Call(scoped, "SCOPED_" + t, value, List.of("team"), null, Expect.OK);
                                };
                        });
            }
            plan.add(calls);
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Answer> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Answer>>> threads = new ArrayList<>();
            for (List<Call> calls : plan) {
                threads.add(pool.submit(() -> {
                    start.await();
                    List<Answer> mine = new ArrayList<>();
                    for (Call call : calls) {
                        mine.add(send(org, publicKey, call));
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<Answer>> thread : threads) {
                answers.addAll(thread.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        // Every answer is the one the store would get alone.
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> casWinners = new TreeMap<>();
        int forbidden = 0;
        for (Answer a : answers) {
            boolean ok = a.status() == 200;
            boolean conflict = a.status() == 409 && "version_conflict".equals(a.code());
            boolean refused = a.status() == 403 && "forbidden".equals(a.code());
            boolean expected = switch (a.call().expect()) {
                case OK -> ok;
                case ONE_WINS -> ok || conflict;
                case CONFLICT -> conflict;
                case FORBIDDEN -> refused;
                case HIDDEN -> a.status() == 404 && "secret_not_found".equals(a.code());
            };
            if (!expected) {
                wrong.add(a.call().name() + " (" + a.call().expect() + ") answered " + a.status() + " " + a.code());
            }
            if (ok && a.call().expect() == Expect.ONE_WINS) {
                casWinners.merge(a.call().name(), 1, Integer::sum);
            }
            if (refused) {
                forbidden++;
            }
        }
        assertEquals(List.of(), wrong);
        for (int k = 0; k < 4; k++) {
            assertEquals(
                    1, (int) casWinners.getOrDefault("CAS_" + k, 0), "one check-and-set store of CAS_" + k + " wins");
        }

        // The successful stores, by (name, version): no version answered twice.
        Map<String, Map<Integer, String>> stored = new TreeMap<>();
        int successes = 0;
        for (Answer a : answers) {
            if (a.status() != 200) {
                continue;
            }
            successes++;
            String before = stored.computeIfAbsent(a.call().name(), n -> new TreeMap<>())
                    .put(a.version(), a.call().value());
            assertNull(before, a.call().name() + " version " + a.version() + " was answered twice");
        }
        // a thread's own name is stored only by that thread, one store after the other
        for (int t = 0; t < THREADS; t++) {
            assertEquals(Set.of(1, 2, 3, 4, 5), stored.get("OWN_" + t).keySet(), "OWN_" + t);
        }

        // Every answered version reads back with its exact value.
        int maxVersion = stored.values().stream()
                .flatMap(m -> m.keySet().stream())
                .max(Integer::compare)
                .orElseThrow();
        for (int version = 1; version <= maxVersion; version++) {
            Map<String, Integer> wanted = new TreeMap<>();
            for (var e : stored.entrySet()) {
                if (e.getValue().containsKey(version)) {
                    wanted.put(e.getKey(), version);
                }
            }
            if (wanted.isEmpty()) {
                continue;
            }
            RetrievedPayload payload = retrieveVersions(org, wanted);
            assertEquals(List.of(), payload.missing() == null ? List.of() : payload.missing(), "version " + version);
            assertEquals(wanted.size(), payload.secrets().size(), "version " + version);
            for (RetrievedSecret s : payload.secrets()) {
                assertEquals(version, s.version(), s.name());
                assertEquals(stored.get(s.name()).get(version), s.value(), s.name() + " version " + version);
            }
        }

        try (Connection c = PostgresResource.connect()) {
            // Versions per secret: 1..current, contiguous, exactly the answered ones (and the setup's).
            Map<String, List<Integer>> versions = new TreeMap<>();
            Map<String, Integer> current = new HashMap<>();
            try (var s = c.prepareStatement("select s.name, s.current_version, v.version from secrets s "
                    + "join secret_versions v on v.secret_id = s.id where s.org_id = ? and s.environment = ? "
                    + "order by s.name, v.version")) {
                s.setObject(1, orgId);
                s.setString(2, ENV);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.computeIfAbsent(rs.getString(1), n -> new ArrayList<>())
                                .add(rs.getInt(3));
                        current.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            for (var e : versions.entrySet()) {
                List<Integer> list = e.getValue();
                for (int i = 0; i < list.size(); i++) {
                    assertEquals(
                            i + 1, list.get(i), e.getKey() + " versions are 1.. without gaps or duplicates: " + list);
                }
                assertEquals(list.size(), (int) current.get(e.getKey()), e.getKey() + " current version");
                int setup = e.getKey().equals("FOREIGN") || e.getKey().startsWith("SHARED_") ? 1 : 0;
                assertEquals(
                        list.size(),
                        setup + stored.getOrDefault(e.getKey(), Map.of()).size(),
                        e.getKey() + ": one version per successful store");
            }
            // a refused store wrote nothing: no row for a new name, no version for an existing one
            for (int t = 0; t < THREADS; t++) {
                assertFalse(versions.containsKey("UNTAGGED_" + t), "UNTAGGED_" + t + " has versions");
            }
            assertEquals(
                    0, count(c, "select count(*) from secrets where org_id = ? and name like 'UNTAGGED_%'", orgId));
            assertEquals(List.of(1), versions.get("FOREIGN"));

            // One wrap on the org key per successful store.
            assertEquals(wrapsBefore + successes, wrapCount(orgId), "org key wraps: one per successful store");

            // One secret.write record per successful store, naming its version; one denial per refused store.
            Set<String> audited = new TreeSet<>();
            int auditedWrites = 0;
            try (var s = c.prepareStatement("select name, version from audit_events "
                    + "where org_id = ? and action = 'secret.write' and outcome = 'success'")) {
                s.setObject(1, orgId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        auditedWrites++;
                        audited.add(rs.getString(1) + "#" + rs.getInt(2));
                    }
                }
            }
            assertEquals(setupStores + successes, auditedWrites, "secret.write records");
            assertEquals(expectedKeys(stored), audited, "secret.write records name the stored versions");
            // the first denial of a kind is written at once, repeats only as an aggregate record later
            // (audit.DenialLimiter), so the refused stores leave between one and one each
            long denials = count(
                    c,
                    "select count(*) from audit_events where org_id = ? and action = 'secret.write' "
                            + "and outcome = 'denied'",
                    orgId);
            assertTrue(
                    forbidden > 0 && denials >= 1 && denials <= forbidden,
                    denials + " denial records for " + forbidden + " refused stores");

            // One change event per successful store.
            Set<String> evented = new TreeSet<>();
            int events = 0;
            try (var s = c.prepareStatement(
                    "select name, version, action from secret_events where org_id = ? order by id")) {
                s.setObject(1, orgId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events++;
                        assertEquals("stored", rs.getString(3));
                        evented.add(rs.getString(1) + "#" + rs.getInt(2));
                    }
                }
            }
            assertEquals(setupStores + successes, events, "secret_events rows");
            assertEquals(expectedKeys(stored), evented, "change events name the stored versions");

            // The race did batch: some versions share their batch's commit time (StoreBatch stamps one per batch).
            assertTrue(
                    count(
                                    c,
                                    "select count(*) from (select v.created_at from secret_versions v join secrets s "
                                            + "on s.id = v.secret_id where s.org_id = ? group by v.created_at "
                                            + "having count(*) > 1) shared",
                                    orgId)
                            > 0,
                    "no two stores shared a batch: the test did not exercise StoreBatch");
        }

        // The audit chain verifies.
        Response verify = as(org.adminKey()).get("/organization/" + org.id() + "/audit/verify");
        verify.then().statusCode(200);
        assertEquals(Boolean.TRUE, verify.path("intact"), verify.asString());
    }

    /**
     * A client that goes away while its store waits for the batch: the request's Uni is cancelled (the caller
     * zeroes its copy of the value then), but the queued store is still written, so it must be written with
     * the value that was sent, not with zeroes.
     */
    @Test
    void aStoreWhoseClientLeftIsWrittenWithItsValue() throws Exception {
        Org org = Api.newOrg();
        UUID orgId = UUID.fromString(org.id());
        Api.PublicKey publicKey = Api.publicKey(org);
        String value = "left-behind-" + UUID.randomUUID();
        String sealed = Sealing.sealJwe(
                publicKey.key(),
                publicKey.kid(),
                Api.destination(org, ENV, "LEFT"),
                value.getBytes(StandardCharsets.UTF_8));
        byte[] body = Api.JSON.writeValueAsBytes(
                Map.of("name", "LEFT", "environment", ENV, "encrypted_value", sealed, "sealed", true));
        try (Connection lock = PostgresResource.connect()) {
            // hold the org key row: the batch waits in its claim, before it encrypts
            lock.setAutoCommit(false);
            count(lock, "select count(*) from (select 1 from org_keys where org_id = ? for update) locked", orgId);
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /organization/" + org.id() + "/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Authorization: Bearer " + org.adminKey() + "\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                awaitCount(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                                + "and query like 'update org_keys%' and datname = current_database() and ? is not null",
                        orgId, 1);
            }
            // the server sees the connection close and cancels the request; give it a moment to do so
            Thread.sleep(1000);
            lock.commit();
        }
        awaitCount("select count(*) from secrets where org_id = ? and name = 'LEFT' and current_version = 1", orgId, 1);
        assertEquals(value, Api.value(Api.retrieve(org, ENV, List.of("LEFT"), null), "LEFT"));
    }

    /**
     * Batches of three replicas (the server's own {@link StoreBatch} and two more on the same database) store
     * overlapping names at once, each replica in another order, a mix of secrets that exist and secrets that
     * none of them has created yet: each batch takes its rows in one order, so none waits for another in a
     * cycle. Every store succeeds the first time (no batch fails, so no deadlock was broken by PostgreSQL and
     * hidden by the one-at-a-time fallback), and each name has exactly one version per store.
     */
    @Test
    void batchesOfSeveralReplicasTakeOverlappingRowsInOneOrder() throws Exception {
        Org org = Api.newOrg();
        UUID orgId = UUID.fromString(org.id());
        OrganizationRecord orgRecord = new OrganizationRecord();
        orgRecord.id = orgId;
        Access admin = new Access(orgRecord, Role.ADMIN, Grants.NONE, Optional.empty(), Optional.empty(), false);
        Caller caller = Caller.user("replica-test", "replica@example.com", true, "Replica Test");
        List<StoreBatch> replicas =
                List.of(batch, new StoreBatch(pool, keys, audit, events), new StoreBatch(pool, keys, audit, events));
        long failedBefore = batch.failedBatches();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            existing.add("EXISTING_" + i);
            Api.storeOk(org, ENV, "EXISTING_" + i, "initial", null);
        }
        long wrapsBefore = wrapCount(orgId);
        Map<String, Integer> storesOf = new TreeMap<>();
        int rounds = 6;
        for (int round = 0; round < rounds; round++) {
            List<String> names = new ArrayList<>(existing);
            for (int i = 0; i < 6; i++) {
                names.add("NEW_" + round + "_" + i);
            }
            List<java.util.concurrent.CompletableFuture<dev.crate.protocol.wire.SecretMetadata>> answers =
                    new ArrayList<>();
            try (Connection lock = PostgresResource.connect()) {
                // hold the org key row: each replica's first store (a name of its own) waits in its claim, and
                // the rest queue behind it as that replica's next batch
                lock.setAutoCommit(false);
                count(lock, "select count(*) from (select 1 from org_keys where org_id = ? for update) locked", orgId);
                for (int r = 0; r < replicas.size(); r++) {
                    answers.add(submit(replicas.get(r), orgId, caller, admin, "GATE_" + r));
                    storesOf.merge("GATE_" + r, 1, Integer::sum);
                }
                awaitCount(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                                + "and query like 'update org_keys%' and datname = current_database() and ? is not null",
                        orgId, replicas.size());
                for (int r = 0; r < replicas.size(); r++) {
                    List<String> order = new ArrayList<>(names);
                    if (r == 1) {
                        java.util.Collections.reverse(order);
                    } else if (r == 2) {
                        java.util.Collections.shuffle(order, new java.util.Random(round));
                    }
                    for (String name : order) {
                        answers.add(submit(replicas.get(r), orgId, caller, admin, name));
                        storesOf.merge(name, 1, Integer::sum);
                    }
                }
                lock.commit();
            }
            for (var answer : answers) {
                answer.get(120, TimeUnit.SECONDS);
            }
        }
        assertEquals(failedBefore, batch.failedBatches(), "the server's batches all committed the first time");
        for (int r = 1; r < replicas.size(); r++) {
            assertEquals(
                    0, replicas.get(r).failedBatches(), "replica " + r + "'s batches all committed the first time");
        }

        try (Connection c = PostgresResource.connect()) {
            Map<String, List<Integer>> versions = new TreeMap<>();
            try (var s = c.prepareStatement("select s.name, v.version from secrets s join secret_versions v "
                    + "on v.secret_id = s.id where s.org_id = ? order by s.name, v.version")) {
                s.setObject(1, orgId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.computeIfAbsent(rs.getString(1), n -> new ArrayList<>())
                                .add(rs.getInt(2));
                    }
                }
            }
            int total = 0;
            for (var e : storesOf.entrySet()) {
                int expected = e.getValue() + (e.getKey().startsWith("EXISTING_") ? 1 : 0);
                List<Integer> wanted = new ArrayList<>();
                for (int v = 1; v <= expected; v++) {
                    wanted.add(v);
                }
                assertEquals(wanted, versions.get(e.getKey()), e.getKey());
                total += e.getValue();
            }
            assertEquals(storesOf.keySet(), versions.keySet());
            assertEquals(wrapsBefore + total, wrapCount(orgId), "org key wraps: one per store");
        }
        Response verify = as(org.adminKey()).get("/organization/" + org.id() + "/audit/verify");
        verify.then().statusCode(200);
        assertEquals(Boolean.TRUE, verify.path("intact"), verify.asString());
    }

    /** Queues one store on {@code replica}, as SecretService would after its checks. */
    private static java.util.concurrent.CompletableFuture<dev.crate.protocol.wire.SecretMetadata> submit(
            StoreBatch replica, UUID orgId, Caller caller, Access access, String name) {
        byte[] value = ("value of " + name).getBytes(StandardCharsets.UTF_8);
        return replica.submit(orgId, new StoreBatch.Request(caller, access, ENV, name, null, null, value, true))
                .subscribeAsCompletionStage();
    }

    /** Waits (at most a minute) until {@code sql} counts {@code expected}. */
    private static void awaitCount(String sql, UUID orgId, long expected) throws Exception {
        try (Connection c = PostgresResource.connect()) {
            for (int i = 0; i < 600; i++) {
                if (count(c, sql, orgId) == expected) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("never counted " + expected + ": " + sql);
    }

    private static Answer send(Org org, Api.PublicKey publicKey, Call call) {
        String sealed = Sealing.sealJwe(
                publicKey.key(),
                publicKey.kid(),
                Api.destination(org, ENV, call.name()),
                call.value().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> body = new HashMap<>();
        body.put("name", call.name());
        body.put("environment", ENV);
        body.put("encrypted_value", sealed);
        body.put("sealed", true);
        if (call.tags() != null) {
            body.put("tags", call.tags());
        }
        if (call.expectedVersion() != null) {
            body.put("expected_version", call.expectedVersion());
        }
        Response response = as(call.key()).body(body).put("/organization/" + org.id() + "/secrets");
        int status = response.statusCode();
        if (status == 200) {
            return new Answer(call, status, null, response.path("version"));
        }
        String code = null;
        try {
            code = response.path("code");
        } catch (RuntimeException notJson) {
            code = response.asString();
        }
        return new Answer(call, status, code, 0);
    }

    private static RetrievedPayload retrieveVersions(Org org, Map<String, Integer> versions) {
        TemporaryKey key = TemporaryKey.generate();
        Response response = as(org.adminKey())
                .body(new RetrieveRequest(ENV, null, null, null, key.publicJwk(), null, versions))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        try {
            return Api.JSON.readValue(key.open(response.path("sealed_payload")), RetrievedPayload.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("payload is not the documented JSON", e);
        }
    }

    /** "name#version" of every version written: the answered ones, and version 1 of the setup's names. */
    private static Set<String> expectedKeys(Map<String, Map<Integer, String>> stored) {
        Set<String> keys = new TreeSet<>();
        stored.forEach((name, byVersion) -> byVersion.keySet().forEach(v -> keys.add(name + "#" + v)));
        keys.add("FOREIGN#1");
        for (int s = 0; s < SHARED_NAMES; s++) {
            keys.add("SHARED_" + s + "#1");
        }
        return keys;
    }

    private static long wrapCount(UUID orgId) throws Exception {
        try (Connection c = PostgresResource.connect()) {
            return count(c, "select coalesce(sum(wrap_count), 0) from org_keys where org_id = ?", orgId);
        }
    }

    private static long count(Connection c, String sql, UUID orgId) throws Exception {
        try (var s = c.prepareStatement(sql)) {
            s.setObject(1, orgId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
