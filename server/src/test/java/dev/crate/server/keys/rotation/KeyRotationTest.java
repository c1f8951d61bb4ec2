package dev.crate.server.keys.rotation;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.keys.KeyService;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Org and transport key rotation through the API, with the real job (ticking every second in tests). */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class KeyRotationTest {
    @Inject
    KeyService keyService;

    static String keys(Org org) {
        return "/organization/" + org.id() + "/keys";
    }

    static Response rotate(Org org, String tier) {
        return as(org.adminKey()).body(Map.of("tier", tier)).post(keys(org) + "/rotate");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Org key states by version, from the status endpoint. */
    static Map<Integer, String> states(Org org) {
        Response r = as(org.adminKey()).get(keys(org));
        r.then().statusCode(200);
        List<Integer> versions = r.path("org_keys.version");
        List<String> states = r.path("org_keys.state");
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            map.put(versions.get(i), states.get(i));
        }
        return map;
    }

    static boolean settled(Org org) {
        return !states(org).containsValue("retiring");
    }

    static List<Integer> storedOrgKeyVersions(Org org) throws Exception {
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement("select distinct v.org_key_version from secret_versions v "
                        + "join secrets s on s.id = v.secret_id where s.org_id = ? union "
                        + "select distinct org_key_version from transport_keys where org_id = ? order by 1")) {
            s.setObject(1, UUID.fromString(org.id()));
            s.setObject(2, UUID.fromString(org.id()));
            List<Integer> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        }
    }

    static int sql(String statement, Object... args) throws Exception {
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    @Test
    void orgRotationRewrapsEveryDataKeyAndRetiresTheOldVersion() throws Exception {
        Org org = Api.newOrg();
        for (int i = 0; i < 25; i++) {
            Api.storeOk(org, "dev", "S_" + i, "value-" + i, null);
        }
        Api.storeOk(org, "prod", "S_0", "prod-1", null);
        Api.storeOk(org, "prod", "S_0", "prod-2", null);
        as(org.adminKey())
                .get(keys(org))
                .then()
                .statusCode(200)
                .body("org_keys.size()", equalTo(1))
                .body("org_keys[0].state", equalTo("active"))
                .body("org_keys[0].wrap_count", equalTo(28));
        assertEquals(List.of(1), storedOrgKeyVersions(org));
        Api.retrieve(org, "dev", null, null);
        UUID orgId = UUID.fromString(org.id());
        assertTrue(keyService.holdsOrgKey(orgId, 1), "a read leaves org key v1 unwrapped in the cache");

        rotate(org, "org")
                .then()
                .statusCode(202)
                .body("tier", equalTo("org"))
                .body("from_key", equalTo("v1"))
                .body("to_key", equalTo("v2"));
        // New data keys use v2 at once.
        Api.storeOk(org, "dev", "AFTER", "after-rotation", null);
        await("v1 retired", () -> "retired".equals(states(org).get(1)));

        assertEquals(List.of(2), storedOrgKeyVersions(org));
        assertFalse(keyService.holdsOrgKey(orgId, 1), "retiring v1 evicts its unwrapped copy at once");
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(
                        "select length(wrapped_key) from org_keys where org_id = ? and version = 1")) {
            s.setObject(1, UUID.fromString(org.id()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the retired version's wrapped material is destroyed");
            }
        }
        RetrievedPayload dev = Api.retrieve(org, "dev", null, null);
        for (int i = 0; i < 25; i++) {
            assertEquals("value-" + i, Api.value(dev, "S_" + i));
        }
        assertEquals("after-rotation", Api.value(dev, "AFTER"));
        assertEquals("prod-2", Api.value(Api.retrieve(org, "prod", null, null), "S_0"));
        Response status = as(org.adminKey()).get(keys(org));
        status.then()
                .body("rewrap.running", equalTo(false))
                .body("rewrap.remaining", equalTo(0))
                .body("rotations[0].state", equalTo("done"))
                .body("rotations[0].rewrapped", equalTo(28))
                .body("org_key_rotation.next_rotation", Matchers.notNullValue());
        // 1 (AFTER) + 27 data keys + 1 transport private key re-wrapped
        assertEquals(29, (int) status.path("org_keys.find { it.version == 2 }.wrap_count"));
    }

    @Test
    void rewrapNeverTouchesValueCiphertexts() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "KEEP", "keep-me", null);
        byte[] before = ciphertext(org, "KEEP");
        byte[] wrappedBefore = wrappedDataKey(org, "KEEP");
        rotate(org, "org").then().statusCode(202);
        await("settled", () -> settled(org));
        assertTrue(java.util.Arrays.equals(before, ciphertext(org, "KEEP")));
        assertTrue(!java.util.Arrays.equals(wrappedBefore, wrappedDataKey(org, "KEEP")));
        assertEquals("keep-me", Api.value(Api.retrieve(org, "dev", null, null), "KEEP"));
    }

    private static byte[] ciphertext(Org org, String name) throws Exception {
        return column(org, name, "ciphertext");
    }

    private static byte[] wrappedDataKey(Org org, String name) throws Exception {
        return column(org, name, "wrapped_data_key");
    }

    private static byte[] column(Org org, String name, String column) throws Exception {
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(
                        "select v." + column + " from secret_versions v join secrets s on s.id = v.secret_id "
                                + "where s.org_id = ? and s.name = ?")) {
            s.setObject(1, UUID.fromString(org.id()));
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void readsAndWritesDuringRepeatedRotationsAllSucceed() throws Exception {
        Org org = Api.newOrg();
        for (int i = 0; i < 20; i++) {
            Api.storeOk(org, "dev", "C_" + i, "v0", null);
        }
        Map<String, String> latest = new ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            latest.put("C_" + i, "v0");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger operations = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    String name = "C_" + ((worker * 5) + (n % 5));
                    try {
                        if (worker % 2 == 0) {
                            String value = "w" + worker + "-" + n;
                            Response r = Api.store(org, "dev", name, value, null);
                            if (r.statusCode() != 200) {
                                failures.incrementAndGet();
                                errors.add("store " + r.statusCode() + " " + r.asString());
                            } else {
                                latest.put(name, value);
                            }
                        } else {
                            Api.retrieve(org, "dev", null, null);
                        }
                    } catch (Throwable e) {
                        failures.incrementAndGet();
                        errors.add(e.toString());
                    }
                    operations.incrementAndGet();
                    n++;
                }
            }));
        }
        for (int round = 0; round < 3; round++) {
            rotate(org, "org").then().statusCode(202);
            rotate(org, "transport").then().statusCode(202);
            await("settled", () -> settled(org));
        }
        stop.set(true);
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, failures.get(), String.join("\n", errors.subList(0, Math.min(5, errors.size()))));
        assertTrue(operations.get() > 20, "traffic ran during the rotations: " + operations.get());
        await("settled", () -> settled(org));
        assertEquals(List.of(4), storedOrgKeyVersions(org));
        RetrievedPayload all = Api.retrieve(org, "dev", null, null);
        latest.forEach((name, value) -> assertEquals(value, Api.value(all, name), name));
    }

    @Test
    void aSealedWriteToTheOldTransportKeyWorksDuringGraceAndIsRefusedClearlyAfter() throws Exception {
        Org org = Api.newOrg();
        Api.PublicKey old = Api.publicKey(org);
        rotate(org, "transport")
                .then()
                .statusCode(202)
                .body("tier", equalTo("transport"))
                .body("from_key", equalTo(old.kid()));
        Api.PublicKey current = Api.publicKey(org);
        assertNotEquals(old.kid(), current.kid());
        as(org.adminKey())
                .get(keys(org))
                .then()
                .body("transport_keys.find { it.kid == '" + old.kid() + "' }.state", equalTo("grace"));

        // During grace: a JWE naming the old kid, and a kid-less base64 blob sealed to the old key, both open.
        String jweOld = Sealing.sealJwe(
                old.key(), old.kid(), Api.destination(org, "dev", "G1"), "grace-jwe".getBytes(StandardCharsets.UTF_8));
        Api.storeSealed(org, "dev", "G1", jweOld, null).then().statusCode(200);
        String rawOld = Sealing.sealRaw(
                old.key(), Api.destination(org, "dev", "G2"), "grace-raw".getBytes(StandardCharsets.UTF_8));
        Api.storeSealed(org, "dev", "G2", rawOld, null).then().statusCode(200);
        String rawNew = Sealing.sealRaw(
                current.key(), Api.destination(org, "dev", "G3"), "new-raw".getBytes(StandardCharsets.UTF_8));
        Api.storeSealed(org, "dev", "G3", rawNew, null).then().statusCode(200);
        RetrievedPayload values = Api.retrieve(org, "dev", null, null);
        assertEquals("grace-jwe", Api.value(values, "G1"));
        assertEquals("grace-raw", Api.value(values, "G2"));
        assertEquals("new-raw", Api.value(values, "G3"));

        // The grace period ends (as if 24 h had passed); the job disables the key.
        sql("update transport_keys set grace_until = now() - interval '1 second' where kid = ?", old.kid());
        await(
                "old key disabled",
                () -> as(org.adminKey())
                        .get(keys(org))
                        .path("transport_keys.find { it.kid == '" + old.kid() + "' }.state")
                        .equals("disabled"));
        try (Connection c = PostgresResource.connect();
                PreparedStatement s =
                        c.prepareStatement("select length(wrapped_private_key) from transport_keys where kid = ?")) {
            s.setString(1, old.kid());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "a disabled key's private half is destroyed");
            }
        }
        Api.storeSealed(
                        org,
                        "dev",
                        "G4",
                        Sealing.sealJwe(
                                old.key(),
                                old.kid(),
                                Api.destination(org, "dev", "G4"),
                                "late".getBytes(StandardCharsets.UTF_8)),
                        null)
                .then()
                .statusCode(400)
                .body("code", equalTo("transport_key_expired"))
                .body("detail", Matchers.containsString("public-key"));
        Api.storeSealed(
                        org,
                        "dev",
                        "G5",
                        Sealing.sealRaw(
                                old.key(), Api.destination(org, "dev", "G5"), "late".getBytes(StandardCharsets.UTF_8)),
                        null)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));
        Api.storeOk(org, "dev", "G6", "current", null);
    }

    @Test
    void theScheduleAndTheUsageLimitRotateOnceEach() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "U", "u", null);
        UUID id = UUID.fromString(org.id());
        // As if the org key had wrapped its limit of keys: the next job run rotates it, once.
        sql("update org_keys set wrap_count = 4000000000 where org_id = ? and state = 'active'", id);
        await("usage-limit rotation", () -> states(org).size() == 2);
        await("settled", () -> settled(org));
        as(org.adminKey())
                .get(keys(org))
                .then()
                .body("rotations.find { it.tier == 'org' }.trigger", equalTo("usage-limit"));
        // As if the active org key and transport key were older than their periods.
        sql("update org_keys set created_at = now() - interval '91 days' where org_id = ? and state = 'active'", id);
        sql(
                "update transport_keys set created_at = now() - interval '31 days' where org_id = ? and state = 'active'",
                id);
        await("scheduled rotation", () -> states(org).size() == 3);
        await(
                "scheduled transport rotation",
                () -> as(org.adminKey())
                        .get(keys(org))
                        .path("transport_keys.size()")
                        .equals(2));
        Thread.sleep(2500);
        assertEquals(3, states(org).size(), "each due rotation happens once");
        assertEquals(2, (int) as(org.adminKey()).get(keys(org)).path("transport_keys.size()"));
        as(org.adminKey()).get(keys(org)).then().body("rotations[0].trigger", equalTo("schedule"));
        assertEquals("u", Api.value(Api.retrieve(org, "dev", null, null), "U"));
        // The server's own rotations are on the org's audit trail, by the system, once each.
        List<String> system = new ArrayList<>();
        dev.crate.server.audit.AuditTrailTest.events(org, "").forEach(e -> {
            if (e.get("actor_type").asText().equals("system")
                    && e.get("action").asText().endsWith(".rotate")) {
                system.add(e.get("action").asText() + ":"
                        + e.get("detail").asText().replaceAll(".*\"trigger\":\"([a-z-]+)\".*", "$1"));
            }
        });
        system.sort(null);
        assertEquals(List.of("key.rotate:schedule", "key.rotate:usage-limit", "transport_key.rotate:schedule"), system);
        assertTrue(
                dev.crate.server.audit.AuditTrailTest.verify(org).get("intact").asBoolean());
    }

    @Test
    void badRotationRequestsAnswer400() {
        Org org = Api.newOrg();
        rotate(org, "root").then().statusCode(400).body("code", equalTo("invalid_rotation_request"));
        as(org.adminKey())
                .body(Map.of())
                .post(keys(org) + "/rotate")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_rotation_request"));
        as(org.adminKey()).body("{").post(keys(org) + "/rotate").then().statusCode(400);
    }

    @Test
    void theRootKeyStatusIsForTheOperatorOnly() {
        as(PostgresResource.ADMIN_TOKEN)
                .get("/operator/keys/root")
                .then()
                .statusCode(200)
                .body("active_kid", Matchers.startsWith("rk-"))
                .body("keys.find { it.active }.needed", equalTo(true))
                .body("no_longer_needed.size()", equalTo(0));
        Org other = Api.newOrg();
        as(other.adminKey()).get("/operator/keys/root").then().statusCode(403).body("code", equalTo("forbidden"));
        as(other.adminKey()).post("/operator/keys/root/rotate").then().statusCode(403);
        as(Api.apiKey(other, "viewer"))
                .post("/operator/keys/root/rotate")
                .then()
                .statusCode(403);
        // With one root key configured there is nothing to re-wrap: the rotation is done at once.
        as(PostgresResource.ADMIN_TOKEN)
                .post("/operator/keys/root/rotate")
                .then()
                .statusCode(202)
                .body("tier", equalTo("root"))
                .body("state", equalTo("done"));
    }

    @Test
    void rotationsOnDemandAndDeniedAttemptsAreOnTheAuditTrail() throws Exception {
        Org org = Api.newOrg();
        rotate(org, "transport").then().statusCode(202);
        as(Api.apiKey(org, "viewer"))
                .body(Map.of("tier", "org"))
                .post(keys(org) + "/rotate")
                .then()
                .statusCode(403);
        var events = dev.crate.server.audit.AuditTrailTest.events(org, "");
        List<String> seen = new ArrayList<>();
        events.forEach(
                e -> seen.add(e.get("action").asText() + ":" + e.get("outcome").asText()));
        assertTrue(seen.contains("transport_key.rotate:success"), seen.toString());
        assertTrue(seen.contains("key.rotate:denied"), seen.toString());
        events.forEach(e -> {
            if (e.get("action").asText().equals("transport_key.rotate")) {
                assertTrue(e.get("detail").asText().contains("\"tier\":\"transport\""), e.toString());
            }
        });
        assertTrue(
                dev.crate.server.audit.AuditTrailTest.verify(org).get("intact").asBoolean());
    }

    @Test
    void theAuditCheckpointFollowsTheOrgKeyAndABadOneIsNeverLaundered() throws Throwable {
        Org org = Api.newOrg();
        for (String name : List.of("A", "B", "C")) {
            Api.storeOk(org, "dev", name, "v-" + name, null);
        }
        UUID id = UUID.fromString(org.id());
        sql("update audit_events set occurred_at = now() - interval '100 days' where org_id = ? and seq <= 2", id);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.arc.Arc.container()
                .instance(dev.crate.server.audit.trail.AuditRetentionJob.class)
                .get()
                .run(java.time.OffsetDateTime.now().minusDays(90)));
        assertTrue(
                dev.crate.server.audit.AuditTrailTest.verify(org).get("intact").asBoolean());

        // The checkpoint's MAC is keyed by org key v1: the rotation moves it before v1 is retired and destroyed.
        rotate(org, "org").then().statusCode(202);
        await("v1 retired", () -> "retired".equals(states(org).get(1)));
        var afterRotation = dev.crate.server.audit.AuditTrailTest.verify(org);
        assertTrue(afterRotation.get("intact").asBoolean(), afterRotation.toString());

        // A forged checkpoint stays detected through the next rotation.
        sql("update audit_checkpoints set seq = seq + 1 where org_id = ?", id);
        rotate(org, "org").then().statusCode(202);
        await("v2 retired", () -> "retired".equals(states(org).get(2)));
        var forged = dev.crate.server.audit.AuditTrailTest.verify(org);
        assertTrue(!forged.get("intact").asBoolean(), forged.toString());
        assertEquals(
                "checkpoint_invalid", forged.get("first_broken").get("reason").asText());
    }
}
