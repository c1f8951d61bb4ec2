package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.DatabaseOnlyProfile;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Store, delete, restore, rollback and purge of one secret racing each other: every answer is 2xx, 404 or
 * 409 (never a 5xx), and after every round the secret's rows are consistent.
 */
@QuarkusTest
@TestProfile(DatabaseOnlyProfile.class)
class SecretRacesTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 6;
    private static final int OPS_PER_THREAD = 4;

    private enum Op {
        STORE,
        DELETE,
        RESTORE,
        ROLLBACK,
        STORE_AGAIN,
        DELETE_AGAIN,
        PURGE
    }

    @Test
    void conflictingOperationsOnOneSecretNeverFailAndLeaveItConsistent() throws Exception {
        Org org = Api.newOrg();
        String name = "RACED";
        Api.storeOk(org, "dev", name, "first", null);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t + round;
                    boolean purges = t == 0 && round % 3 == 2;
                    calls.add(pool.submit(() -> {
                        start.await();
                        List<String> refused = new ArrayList<>();
                        for (int i = 0; i < OPS_PER_THREAD; i++) {
                            Op op = purges && i == 1 ? Op.PURGE : Op.values()[(first + i) % (Op.values().length - 1)];
                            Response response = run(org, name, op, i);
                            int status = response.statusCode();
                            if (!(status >= 200 && status < 300 || status == 404 || status == 409)) {
                                refused.add(op + " answered " + status + ": " + response.asString());
                            }
                        }
                        return refused;
                    }));
                }
                start.countDown();
                List<String> refused = new ArrayList<>();
                for (Future<List<String>> call : calls) {
                    refused.addAll(call.get(120, TimeUnit.SECONDS));
                }
                assertEquals(List.of(), refused, "round " + round);
                assertConsistent(org, name);
            }
            // and the secret still works: a store makes a new current version that retrieve returns
            Response stored = Api.store(org, "dev", name, "last", null);
            stored.then().statusCode(200);
            assertEquals("last", Api.value(Api.retrieve(org, "dev", List.of(name), null), name));
            assertConsistent(org, name);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response run(Org org, String name, Op op, int i) {
        String base = "/organization/" + org.id() + "/secrets/" + name;
        return switch (op) {
            case STORE, STORE_AGAIN -> Api.store(org, "dev", name, "value-" + op + "-" + i, null);
            case DELETE, DELETE_AGAIN -> as(org.adminKey()).delete(base + "?env=dev");
            case RESTORE -> as(org.adminKey()).post(base + "/restore?env=dev");
            case ROLLBACK -> as(org.adminKey()).body(Map.of("version", 1)).post(base + "/rollback?env=dev");
            case PURGE -> as(org.adminKey()).delete(base + "?env=dev&purge=true");
        };
    }

    /**
     * The kept versions are contiguous and end at the current version; a purged secret keeps no data key;
     * a live secret's current version can be read.
     */
    private static void assertConsistent(Org org, String name) throws Exception {
        try (Connection c = PostgresResource.connect()) {
            int current;
            boolean purged;
            boolean deleted;
            UUID id;
            try (var s = c.prepareStatement("select id, current_version, purged_at is not null, deleted_at is not null "
                    + "from secrets where org_id = ? and environment = 'dev' and name = ?")) {
                s.setObject(1, UUID.fromString(org.id()));
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    id = (UUID) rs.getObject(1);
                    current = rs.getInt(2);
                    purged = rs.getBoolean(3);
                    deleted = rs.getBoolean(4);
                }
            }
            List<Integer> versions = new ArrayList<>();
            List<Integer> withKey = new ArrayList<>();
            try (var s = c.prepareStatement("select version, wrapped_data_key is not null from secret_versions "
                    + "where secret_id = ? order by version")) {
                s.setObject(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                        if (rs.getBoolean(2)) {
                            withKey.add(rs.getInt(1));
                        }
                    }
                }
            }
            assertTrue(current > 0, "a stored secret has a current version");
            assertEquals(
                    current, versions.get(versions.size() - 1), "the newest version is the current one: " + versions);
            for (int i = 1; i < versions.size(); i++) {
                assertEquals(versions.get(i - 1) + 1, versions.get(i), "versions are contiguous: " + versions);
            }
            if (purged) {
                assertTrue(deleted, "a purged secret is deleted");
                assertEquals(List.of(), withKey, "a purged secret keeps no data key");
            }
            if (!deleted) {
                assertTrue(withKey.contains(current), "a live secret's current version can be decrypted");
                var payload = Api.retrieve(org, "dev", List.of(name), null);
                assertEquals(
                        Set.of(name),
                        Set.copyOf(payload.secrets().stream().map(s -> s.name()).toList()));
                assertEquals(current, payload.secrets().get(0).version());
            } else {
                assertNull(
                        Api.retrieve(org, "dev", List.of(name), null).secrets().stream()
                                .findFirst()
                                .orElse(null),
                        "a deleted secret is not retrieved");
            }
        }
    }
}
