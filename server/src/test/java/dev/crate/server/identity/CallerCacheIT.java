package dev.crate.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.server.testing.ItDatabase;
import dev.crate.server.testing.Replicas;
import dev.crate.server.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The caller cache across replicas (ARCHITECTURE.md, section 2.1): two packaged servers on one database,
 * both holding a key in their cache; a revocation through one is refused by the other on its next
 * request, through PostgreSQL's notification and not the cache's 30 s age limit (set to 10 minutes here,
 * so only the notification can explain a refusal).
 */
class CallerCacheIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Replicas replicas;
    private String token;
    private ItDatabase database;

    @BeforeEach
    void freshDatabase() throws Exception {
        replicas = Replicas.create("crate_cache_it");
        token = replicas.token;
        database = replicas.database;
    }

    @AfterEach
    void cleanUp() throws Exception {
        replicas.close();
    }

    private ServerProcess start(String rootKey) throws Exception {
        Map<String, String> env = database.serverSettings();
        env.put("CRATE_ROOT_KEY", rootKey);
        env.put("CRATE_CALLER_CACHE_TTL", "10m");
        ServerProcess server = replicas.start(env);
        return server;
    }

    /** A new API key of the org: its id and the key. */
    private static String[] newKey(ServerProcess server, String org, String role) throws Exception {
        HttpResponse<String> created =
                server.post("/organization/" + org + "/api-keys", Map.of("name", "cache " + role, "role", role));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = JSON.readTree(created.body());
        return new String[] {body.get("id").asText(), body.get("key").asText()};
    }

    private static int list(ServerProcess server, String key, String org) throws Exception {
        return server.send(key, "GET", "/organization/" + org + "/secrets?env=dev", null)
                .statusCode();
    }

    @Test
    void aKeyRevokedThroughOneReplicaIsRefusedByTheOtherOnItsNextRequest() throws Exception {
        String rootKey = Replicas.newRootKey();
        ServerProcess a = start(rootKey).awaitReady();
        ServerProcess b = start(rootKey).awaitReady();
        String org = a.defaultOrg();
        String[] viewer = newKey(a, org, "viewer");
        String[] other = newKey(a, org, "viewer");
        for (int i = 0; i < 3; i++) {
            // cached on both replicas now
            assertEquals(200, list(a, viewer[1], org));
            assertEquals(200, list(b, viewer[1], org));
            assertEquals(200, list(b, other[1], org));
        }

        HttpResponse<String> revoked = a.send(token, "DELETE", "/organization/" + org + "/api-keys/" + viewer[0], null);
        assertEquals(204, revoked.statusCode(), revoked.body());
        long revokedAt = System.nanoTime();
        // the writing replica: at once
        assertEquals(401, list(a, viewer[1], org), "refused by the replica that revoked it, on the next request");
        // the other replica: as soon as the notification arrives (milliseconds). Without it the key would
        // count until the cache's TTL (10 minutes here), so waiting up to 10 s tells the two apart.
        int status;
        while ((status = list(b, viewer[1], org)) == 200
                && System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
        assertEquals(401, status, "the other replica refuses the revoked key");
        System.out.println(
                "CallerCacheIT: the other replica refused the revoked key " + millis + " ms after the revocation");
        // the org's other keys keep working (loaded again), on both
        assertEquals(200, list(b, other[1], org));
        assertEquals(200, list(a, other[1], org));
        // and the revoked key stays refused, also once the cache is warm again
        for (int i = 0; i < 3; i++) {
            assertEquals(401, list(a, viewer[1], org));
            assertEquals(401, list(b, viewer[1], org));
        }
    }
}
