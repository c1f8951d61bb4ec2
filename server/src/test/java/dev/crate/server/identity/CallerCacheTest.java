package dev.crate.server.identity;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.DatabaseOnlyProfile;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The caller cache on one replica: a warm request reads no API key, organization or environment row, a
 * revocation counts from the very next request, and failed lookups leave nothing behind.
 */
@QuarkusTest
@TestProfile(DatabaseOnlyProfile.class)
class CallerCacheTest {

    @Inject
    CallerCache cache;

    private static int list(String key, Org org) {
        return as(key).get("/organization/" + org.id() + "/secrets?env=dev").statusCode();
    }

    @Test
    void aRevokedKeyIsRefusedOnTheNextRequestThoughItWasCached() {
        Org org = Api.newOrg();
        var created = as(org.adminKey())
                .body(Map.of("name", "to revoke", "role", "viewer"))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract();
        String key = created.path("key");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, list(key, org));
        }
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/api-keys/" + created.path("id"))
                .then()
                .statusCode(204);
        assertEquals(401, list(key, org));
        assertEquals(401, list(key, org));
        assertEquals(200, list(org.adminKey(), org), "the org's other keys keep working");
    }

    @Test
    void unknownKeysDoNotFillTheCache() {
        Org org = Api.newOrg();
        assertEquals(200, list(org.adminKey(), org));
        int before = cache.size();
        for (int i = 0; i < 50; i++) {
            String guess = "crate_"
                    + HexFormat.of()
                            .formatHex(java.util.UUID.randomUUID().toString().getBytes());
            assertEquals(401, list(guess, org));
        }
        assertTrue(cache.size() <= before, "failed lookups are not cached: " + before + " -> " + cache.size());
    }

    @Test
    void aWarmListReadsNoKeyOrganizationOrEnvironmentRow() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "CACHED", "v", List.of());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, list(org.adminKey(), org));
        }
        // A backend publishes its counters when idle, up to 10 s late: wait until the warm-up's are in,
        // or they would be counted as reads of the requests below.
        Map<String, Long> before = settledScans();
        int requests = 10;
        for (int i = 0; i < requests; i++) {
            assertEquals(200, list(org.adminKey(), org));
        }
        // PostgreSQL publishes a backend's counters when it goes idle, within seconds
        long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Long> after = scans();
        while (after.get("secrets") - before.get("secrets") < requests && System.nanoTime() < deadline) {
            Thread.sleep(250);
            after = scans();
        }
        assertTrue(after.get("secrets") - before.get("secrets") >= requests, "the secrets were read: " + after);
        for (String table : new String[] {"api_keys", "organizations", "environments"}) {
            assertEquals(before.get(table), after.get(table), table + " was not read by warm requests");
        }
    }

    /** {@link #scans()} once they have not changed for 11 s (at most 40 s). */
    private static Map<String, Long> settledScans() throws Exception {
        long deadline = System.nanoTime() + 40_000_000_000L;
        Map<String, Long> last = scans();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < 11_000_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(500);
            Map<String, Long> now = scans();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    /** Index and sequential scans per table of the test database, as PostgreSQL counts them. */
    private static Map<String, Long> scans() throws Exception {
        Map<String, Long> scans = new HashMap<>();
        try (Connection c = PostgresResource.connect();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery("select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                        + "from pg_stat_user_tables where relname in "
                        + "('api_keys', 'organizations', 'environments', 'secrets')")) {
            while (rs.next()) {
                scans.put(rs.getString(1), rs.getLong(2));
            }
        }
        return scans;
    }
}
