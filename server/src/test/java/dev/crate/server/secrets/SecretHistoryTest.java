package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.crypto.SecretCipher;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.domain.OrgKey;
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
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Versions, pinned retrieval, rollback, restore, purge (crypto-shred) and check-and-set, against the real server. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SecretHistoryTest {
    @Inject
    RootKeyProvider rootKey;

    private static String path(Org org, String name, String suffix) {
        return "/organization/" + org.id() + "/secrets/" + name + suffix;
    }

    private static RetrievedPayload retrieve(Org org, Map<String, Integer> versions) {
        TemporaryKey key = TemporaryKey.generate();
        Response response = as(org.adminKey())
                .body(new RetrieveRequest("dev", null, null, null, key.publicJwk(), null, versions))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        try {
            return Api.JSON.readValue(key.open(response.path("sealed_payload")), RetrievedPayload.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listsVersionsNewestFirstWithAuthorAndTagsButNoValues() {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "HIST", "history-value-one", List.of("a"));
        Api.storeOk(org, "dev", "HIST", "history-value-two", List.of("b"));
        Api.storeOk(org, "dev", "HIST", "history-value-three", null);
        Response response = as(org.adminKey()).get(path(org, "HIST", "/versions?env=dev"));
        response.then().statusCode(200);
        assertEquals(List.of(3, 2, 1), response.path("versions.version"));
        assertEquals(List.of(List.of("b"), List.of("b"), List.of("a")), response.path("versions.tags"));
        assertEquals(3, (int) response.path("current_version"));
        assertEquals(false, response.path("deleted"));
        assertTrue(((String) response.path("versions[0].created_by")).startsWith("api-key:"));
        assertNotNull(response.path("versions[0].created_at"));
        assertFalse(response.asString().contains("history-value"));
        as(org.adminKey()).get(path(org, "NO_SUCH", "/versions?env=dev")).then().statusCode(404);
    }

    @Test
    void retrievesAPinnedOlderVersionBesideCurrentOnes() {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "PINNED", "old", null);
        Api.storeOk(org, "dev", "PINNED", "new", null);
        Api.storeOk(org, "dev", "OTHER", "other", null);
        RetrievedPayload payload = retrieve(org, Map.of("PINNED", 1));
        assertEquals(1, payload.secrets().size());
        assertEquals("old", Api.value(payload, "PINNED"));
        assertEquals(1, payload.secrets().get(0).version());
        RetrievedPayload missing = retrieve(org, Map.of("PINNED", 9));
        assertEquals(List.of("PINNED"), missing.missing());
        as(org.adminKey())
                .body(Map.of(
                        "versions",
                        Map.of("PINNED", 0),
                        "client_public_jwk",
                        TemporaryKey.generate().publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve")
                .then()
                .statusCode(400);
    }

    @Test
    void rollbackStoresTheOldValueAsANewVersionUnderAFreshDataKey() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "ROLL", "first-value", null);
        Api.storeOk(org, "dev", "ROLL", "second-value", null);
        Response rolled = as(org.adminKey()).body(Map.of("version", 1)).post(path(org, "ROLL", "/rollback?env=dev"));
        rolled.then().statusCode(200);
        assertEquals(3, (int) rolled.path("version"));
        assertEquals("first-value", Api.value(Api.retrieve(org, "dev", List.of("ROLL"), null), "ROLL"));
        Map<Integer, byte[]> keys = wrappedKeys(org, "ROLL");
        assertFalse(java.util.Arrays.equals(keys.get(1), keys.get(3)), "a rollback gets a data key of its own");
        as(org.adminKey())
                .body(Map.of("version", 7))
                .post(path(org, "ROLL", "/rollback?env=dev"))
                .then()
                .statusCode(404)
                .body("code", equalTo("version_not_found"));
        as(org.adminKey())
                .body(Map.of())
                .post(path(org, "ROLL", "/rollback?env=dev"))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_version"));
    }

    @Test
    void restoreBringsBackASoftDeletedSecret() {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "BACK", "back-value", null);
        as(org.adminKey()).delete(path(org, "BACK", "?env=dev")).then().statusCode(204);
        assertEquals(
                true,
                as(org.adminKey()).get(path(org, "BACK", "/versions?env=dev")).path("deleted"));
        assertEquals(
                List.of("BACK"), Api.retrieve(org, "dev", List.of("BACK"), null).missing());
        Response restored = as(org.adminKey()).post(path(org, "BACK", "/restore?env=dev"));
        restored.then().statusCode(200);
        assertEquals(1, (int) restored.path("version"));
        assertEquals("back-value", Api.value(Api.retrieve(org, "dev", List.of("BACK"), null), "BACK"));
    }

    @Test
    void purgeDestroysEveryDataKeySoNoKeyCanDecryptTheVersionsAgain() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "SHRED", "shred-one", null);
        Api.storeOk(org, "dev", "SHRED", "shred-two", null);
        UUID orgId = UUID.fromString(org.id());
        OrgKey orgKey = orgKey(orgId);
        List<Object[]> before = versionRows(org, "SHRED");
        assertEquals("shred-one", decrypt(orgId, orgKey, before.get(0)), "the test decrypts with the real keys");

        as(org.adminKey())
                .delete(path(org, "SHRED", "?env=dev&purge=true"))
                .then()
                .statusCode(204);

        List<Object[]> after = versionRows(org, "SHRED");
        assertEquals(2, after.size());
        for (Object[] row : after) {
            assertNull(row[3], "wrapped data key destroyed");
            assertThrows(RuntimeException.class, () -> decrypt(orgId, orgKey, row));
            byte[] ciphertext = (byte[]) row[4];
            // nor does the org key open the value itself: only the destroyed data key did
            assertThrows(
                    DecryptionException.class,
                    () -> dev.crate.server.crypto.envelope.Envelope.open(
                            orgKey.material(), ciphertext, Contexts.value(orgId, "dev", "SHRED", (int) row[1])));
        }
        Response versions = as(org.adminKey()).get(path(org, "SHRED", "/versions?env=dev"));
        assertEquals(List.of(true, true), versions.path("versions.destroyed"));
        assertEquals(true, versions.path("purged"));
        as(org.adminKey())
                .post(path(org, "SHRED", "/restore?env=dev"))
                .then()
                .statusCode(409)
                .body("code", equalTo("version_destroyed"));
        Api.storeOk(org, "dev", "SHRED", "shred-three", null);
        assertEquals("shred-three", Api.value(Api.retrieve(org, "dev", List.of("SHRED"), null), "SHRED"));
        assertEquals(List.of("SHRED"), retrieve(org, Map.of("SHRED", 1)).missing());
        as(org.adminKey())
                .body(Map.of("version", 2))
                .post(path(org, "SHRED", "/rollback?env=dev"))
                .then()
                .statusCode(409);
    }

    @Test
    void checkAndSetRejectsAStaleExpectedVersion() {
        Org org = Api.newOrg();
        storeExpecting(org, "CAS", 0).then().statusCode(200);
        storeExpecting(org, "CAS", 0).then().statusCode(409).body("code", equalTo("version_conflict"));
        storeExpecting(org, "CAS", 1).then().statusCode(200);
        storeExpecting(org, "CAS", 1).then().statusCode(409);
        storeExpecting(org, "CAS", -1).then().statusCode(400);
    }

    @Test
    void ofConcurrentWritersExpectingTheSameVersionExactlyOneWins() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "RACE", "start", null);
        Api.PublicKey key = Api.publicKey(org);
        int writers = 20;
        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            sealed.add(Sealing.sealJwe(
                    key.key(),
                    key.kid(),
                    Api.destination(org, "dev", "RACE"),
                    ("writer-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String value = sealed.get(i);
                calls.add(() -> {
                    start.await();
                    return as(org.adminKey())
                            .body(Map.of(
                                    "name",
                                    "RACE",
                                    "environment",
                                    "dev",
                                    "sealed",
                                    true,
                                    "encrypted_value",
                                    value,
                                    "expected_version",
                                    1))
                            .put("/organization/" + org.id() + "/secrets");
                });
            }
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            int won = 0;
            int conflicts = 0;
            for (Future<Response> future : futures) {
                Response response = future.get();
                if (response.statusCode() == 200) {
                    won++;
                } else {
                    assertEquals(409, response.statusCode(), response.asString());
                    assertEquals("version_conflict", response.path("code"));
                    conflicts++;
                }
            }
            assertEquals(1, won);
            assertEquals(writers - 1, conflicts);
        } finally {
            pool.shutdown();
        }
        Response versions = as(org.adminKey()).get(path(org, "RACE", "/versions?env=dev"));
        assertEquals(List.of(2, 1), versions.path("versions.version"));
    }

    @Test
    void pruningKeepsTheNewestVersionsAndRecordsIt() throws Throwable {
        Org org = Api.newOrg();
        for (int i = 0; i < 4; i++) {
            Api.storeOk(org, "dev", "PRUNE", "prune-" + i, null);
        }
        // the test profile keeps 3 versions per secret
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> io.quarkus.arc.Arc.container()
                .instance(dev.crate.server.secrets.VersionRetentionJob.class)
                .get()
                .run());
        assertEquals(
                List.of(4, 3, 2),
                as(org.adminKey()).get(path(org, "PRUNE", "/versions?env=dev")).path("versions.version"));
        assertEquals(
                List.of("secret.versions_pruned"),
                as(org.adminKey())
                        .get("/organization/" + org.id() + "/audit?action=secret.versions_pruned")
                        .path("events.action"));
        assertEquals(
                true,
                as(org.adminKey())
                        .get("/organization/" + org.id() + "/audit/verify")
                        .path("intact"));
    }

    private static Response storeExpecting(Org org, String name, int expected) {
        Api.PublicKey key = Api.publicKey(org);
        Map<String, Object> body = new HashMap<>(Map.of(
                "name",
                name,
                "environment",
                "dev",
                "sealed",
                true,
                "encrypted_value",
                Sealing.sealJwe(
                        key.key(),
                        key.kid(),
                        Api.destination(org, "dev", name),
                        "cas".getBytes(StandardCharsets.UTF_8))));
        body.put("expected_version", expected);
        return as(org.adminKey()).body(body).put("/organization/" + org.id() + "/secrets");
    }

    private OrgKey orgKey(UUID orgId) throws Exception {
        try (Connection c = PostgresResource.connect();
                var s = c.prepareStatement(
                        "select version, wrapped_key from org_keys where org_id = ? and state = 'active'")) {
            s.setObject(1, orgId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                int version = rs.getInt(1);
                return new OrgKey(orgId, version, rootKey.unwrap(rs.getBytes(2), Contexts.orgKey(orgId, version)));
            }
        }
    }

    /** secret id, version, environment... as {secretId, version, name, wrappedDataKey, ciphertext}, oldest first. */
    private static List<Object[]> versionRows(Org org, String name) throws Exception {
        try (Connection c = PostgresResource.connect();
                var s = c.prepareStatement(
                        "select v.secret_id, v.version, s.name, v.wrapped_data_key, v.ciphertext from secret_versions v "
                                + "join secrets s on s.id = v.secret_id where s.org_id = ? and s.name = ? order by v.version")) {
            s.setObject(1, UUID.fromString(org.id()));
            s.setString(2, name);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(
                            new Object[] {rs.getObject(1), rs.getInt(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5)
                            });
                }
            }
            return rows;
        }
    }

    private static Map<Integer, byte[]> wrappedKeys(Org org, String name) throws Exception {
        Map<Integer, byte[]> keys = new HashMap<>();
        versionRows(org, name).forEach(row -> keys.put((Integer) row[1], (byte[]) row[3]));
        return keys;
    }

    private static String decrypt(UUID orgId, OrgKey orgKey, Object[] row) {
        byte[] value = SecretCipher.decrypt(
                orgId, v -> orgKey, (UUID) row[0], "dev", (String) row[2], (int) row[1], (byte[]) row[3], (byte[])
                        row[4]);
        return new String(value, StandardCharsets.UTF_8);
    }
}
