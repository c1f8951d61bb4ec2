package dev.crate.server.keys.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.server.testing.ItDatabase;
import dev.crate.server.testing.Replicas;
import dev.crate.server.testing.ServerProcess;
import dev.crate.server.testing.SoftHsm;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation with real server processes on one real database: two replicas, a {@code kill -9} in the
 * middle of a re-wrap batch, root-key rotation by configuration and restart, and into a SoftHSM2 token.
 */
class RotationIT {
    private Replicas replicas;
    private String token;
    private ItDatabase database;

    @BeforeEach
    void freshDatabase() throws Exception {
        replicas = Replicas.create("crate_rotation_it");
        token = replicas.token;
        database = replicas.database;
    }

    @AfterEach
    void cleanUp() throws Exception {
        replicas.close();
    }

    private ServerProcess start(Map<String, String> settings) throws Exception {
        Map<String, String> env = database.serverSettings();
        env.put("CRATE_ROTATION_CHECK_INTERVAL", "1s");
        env.put("CRATE_ROTATION_CHECK_DELAY", "1s");
        env.put("CRATE_ROTATION_KEY_REFRESH", "2s");
        env.putAll(settings);
        ServerProcess server = replicas.start(env);
        return server;
    }

    private static void await(String what, Duration limit, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void twoReplicasRotateOnceEachKeepServingAndTheOtherPicksUpTheNewKeys() throws Exception {
        String rootKey = Replicas.newRootKey();
        ServerProcess a = start(Map.of("CRATE_ROOT_KEY", rootKey)).awaitReady();
        ServerProcess b = start(Map.of("CRATE_ROOT_KEY", rootKey)).awaitReady();
        String org = a.defaultOrg();
        Map<String, String> latest = new ConcurrentHashMap<>();
        for (int i = 0; i < 40; i++) {
            assertEquals(
                    200, (i % 2 == 0 ? a : b).store(org, "R_" + i, "v0-" + i).statusCode());
            latest.put("R_" + i, "v0-" + i);
        }
        b.retrieveAll(org); // b has the v1 key cached now

        // Traffic on both replicas the whole time.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger operations = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            ServerProcess target = w % 2 == 0 ? a : b;
            workers.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    try {
                        if (worker < 2) {
                            String name = "R_" + (worker * 20 + n % 20);
                            String value = "w" + worker + "-" + n;
                            HttpResponse<String> r = target.store(org, name, value);
                            if (r.statusCode() == 200) {
                                latest.put(name, value);
                            } else {
                                failures.incrementAndGet();
                                errors.add(r.statusCode() + " " + r.body());
                            }
                        } else {
                            target.retrieveAll(org);
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

        // On demand, through a: one rotation, one new version.
        assertEquals(
                202,
                a.post("/organization/" + org + "/keys/rotate", Map.of("tier", "org"))
                        .statusCode());
        await("v1 retired", Duration.ofSeconds(60), () -> b.states(org).contains("1:retired"));
        // By schedule, on both replicas at once (the active key made 91 days old): still exactly one rotation.
        database.exec("update org_keys set created_at = now() - interval '91 days' where state = 'active'");
        await("scheduled rotation", Duration.ofSeconds(60), () -> b.states(org).contains("2:retired"));
        Thread.sleep(3000);
        assertEquals(3, database.count("select count(*) from org_keys"), "each due rotation ran on one replica, once");
        assertEquals(1, database.count("select count(*) from key_rotations where trigger = 'schedule'"));

        // Transport key rotated through a; b accepts a value sealed to the new kid at once, and publishes it soon.
        JsonNode rotated = JSON.readTree(a.post("/organization/" + org + "/keys/rotate", Map.of("tier", "transport"))
                .body());
        JsonNode newKey = a.getJson("/organization/" + org + "/secrets/public-key");
        assertEquals(rotated.get("to_key").asText(), newKey.get("kid").asText());
        String sealed = Sealing.sealJwe(
                Pem.decode(newKey.get("public_key_pem").asText(), "RSA"),
                newKey.get("kid").asText(),
                new dev.crate.protocol.sealing.Destination(org, "dev", "NEW_KID"),
                "sealed-to-the-new-key".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, b.storeSealed(org, "NEW_KID", sealed).statusCode());
        await(
                "b publishes the new key",
                Duration.ofSeconds(10),
                () -> b.getJson("/organization/" + org + "/secrets/public-key")
                        .get("kid")
                        .asText()
                        .equals(newKey.get("kid").asText()));

        stop.set(true);
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, failures.get(), String.join("\n", errors.subList(0, Math.min(5, errors.size()))));
        assertTrue(operations.get() > 20, "traffic ran during the rotations: " + operations.get());
        // New data keys from b are under the newest version, without a restart of b.
        assertEquals(200, b.store(org, "FROM_B", "after").statusCode());
        assertEquals(0, database.count("select count(*) from secret_versions where org_key_version <> 3"));
        Map<String, String> fromA = a.retrieveAll(org);
        Map<String, String> fromB = b.retrieveAll(org);
        latest.forEach((name, value) -> {
            assertEquals(value, fromA.get(name), name);
            assertEquals(value, fromB.get(name), name);
        });
        assertEquals("sealed-to-the-new-key", fromB.get("NEW_KID"));
        assertFalse(a.output().contains(rootKey) || b.output().contains(rootKey));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void aKill9InTheMiddleOfAReWrapBatchResumesOnRestartAndEverySecretDecrypts() throws Exception {
        String rootKey = Replicas.newRootKey();
        Map<String, String> slow = Map.of(
                "CRATE_ROOT_KEY", rootKey, "CRATE_ROTATION_BATCH_SIZE", "5", "CRATE_ROTATION_BATCH_DELAY", "300ms");
        ServerProcess first = start(slow).awaitReady();
        String org = first.defaultOrg();
        for (int i = 0; i < 80; i++) {
            assertEquals(200, first.store(org, "K_" + i, "value-" + i).statusCode());
        }
        assertEquals(
                202,
                first.post("/organization/" + org + "/keys/rotate", Map.of("tier", "org"))
                        .statusCode());
        await(
                "re-wrap under way",
                Duration.ofSeconds(60),
                () -> database.count("select count(*) from secret_versions where org_key_version = 2") >= 15);
        first.kill9();
        long moved = database.count("select count(*) from secret_versions where org_key_version = 2");
        long left = database.count("select count(*) from secret_versions where org_key_version = 1");
        assertTrue(moved > 0 && left > 0, "killed mid-job: " + moved + " moved, " + left + " left");
        assertEquals(0, moved % 5, "a batch is all or nothing: " + moved);
        assertEquals(1, database.count("select count(*) from org_keys where state = 'retiring'"));

        ServerProcess second = start(Map.of("CRATE_ROOT_KEY", rootKey, "CRATE_ROTATION_BATCH_SIZE", "5"))
                .awaitReady();
        await(
                "job resumed and finished",
                Duration.ofSeconds(120),
                () -> second.states(org).contains("1:retired"));
        assertEquals(0, database.count("select count(*) from secret_versions where org_key_version = 1"));
        Map<String, String> values = second.retrieveAll(org);
        for (int i = 0; i < 80; i++) {
            assertEquals("value-" + i, values.get("K_" + i), "K_" + i);
        }
        JsonNode status = second.getJson("/organization/" + org + "/keys");
        assertEquals("done", status.get("rotations").get(0).get("state").asText());
    }

    @Test
    void rootKeyRotationByConfigurationRestartAndTheOperatorEndpoint() throws Exception {
        String oldKey = Replicas.newRootKey();
        ServerProcess first = start(Map.of("CRATE_ROOT_KEY", oldKey)).awaitReady();
        String org = first.defaultOrg();
        assertEquals(200, first.store(org, "ROOTED", "under-the-old-root").statusCode());
        String oldKid = first.getJson("/operator/keys/root").get("active_kid").asText();
        first.close();

        // Only the new key, before any re-wrap: refused, naming the missing kid.
        String newKey = Replicas.newRootKey();
        ServerProcess refused = start(Map.of("CRATE_ROOT_KEY", newKey));
        assertNotEquals(0, refused.awaitExit(120));
        assertTrue(refused.output().contains("CRATE-0002") && refused.output().contains(oldKid), refused.output());

        // New key active, old one previous: serves, then re-wraps the org keys on demand.
        ServerProcess both = start(Map.of("CRATE_ROOT_KEY", newKey, "CRATE_ROOT_KEY_PREVIOUS", oldKey))
                .awaitReady();
        assertEquals("under-the-old-root", both.retrieveAll(org).get("ROOTED"));
        JsonNode before = both.getJson("/operator/keys/root");
        assertNotEquals(oldKid, before.get("active_kid").asText());
        assertEquals(0, before.get("no_longer_needed").size());
        // A replica not yet rolled to the new configuration (old key only, no key caching): it must not re-wrap
        // under its own key while the rotation runs, and afterwards it answers 503, not 500.
        ServerProcess stale = start(Map.of(
                        "CRATE_ROOT_KEY", oldKey, "CRATE_KEY_CACHE_TTL", "0s", "CRATE_ROTATION_KEY_REFRESH", "0s"))
                .awaitReady();
        assertEquals(202, both.post("/operator/keys/root/rotate", Map.of()).statusCode());
        await(
                "old root key no longer needed",
                Duration.ofSeconds(60),
                () -> both.getJson("/operator/keys/root")
                        .get("no_longer_needed")
                        .toString()
                        .contains(oldKid));
        await("the log says so", Duration.ofSeconds(10), () -> both.output().contains("CRATE-0032"));
        assertEquals(
                0,
                database.count(
                        "select count(*) from org_keys where state <> 'retired' and root_kid = '" + oldKid + "'"));
        HttpResponse<String> unavailable = stale.get("/organization/" + org + "/secrets/public-key");
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertTrue(unavailable.body().contains("service_unavailable"), unavailable.body());
        await(
                "the stale replica names the root key it lacks",
                Duration.ofSeconds(10),
                () -> stale.output().contains("CRATE-0005")
                        && stale.output().contains(before.get("active_kid").asText()));
        assertEquals(
                0,
                database.count(
                        "select count(*) from org_keys where state <> 'retired' and root_kid = '" + oldKid + "'"),
                "the stale replica's job never re-wraps under the old key");
        stale.close();
        both.close();

        // The old key removed from the configuration: starts, and every secret decrypts.
        ServerProcess after = start(Map.of("CRATE_ROOT_KEY", newKey)).awaitReady();
        assertEquals("under-the-old-root", after.retrieveAll(org).get("ROOTED"));
        assertFalse(after.output().contains(newKey) || after.output().contains(oldKey), "root keys are never printed");
    }

    @Test
    void rootKeyRotationIntoASoftHsm2Token() throws Exception {
        Path conf = Files.createTempDirectory("crate-it-softhsm").resolve("softhsm2.conf");
        SoftHsm.Token hsmToken = SoftHsm.initToken(conf, "crate-it");
        Path pinFile = Files.createTempFile("crate-it-pin", ".txt");
        Files.writeString(pinFile, SoftHsm.USER_PIN + "\n");
        String envKey = Replicas.newRootKey();
        ServerProcess first = start(Map.of("CRATE_ROOT_KEY", envKey)).awaitReady();
        String org = first.defaultOrg();
        assertEquals(200, first.store(org, "INTO_HSM", "moved-into-the-hsm").statusCode());
        first.close();

        Map<String, String> hsm = new HashMap<>(Map.of(
                "SOFTHSM2_CONF",
                conf.toString(),
                "CRATE_PKCS11_LIBRARY",
                SoftHsm.MODULE,
                "CRATE_PKCS11_SLOT",
                String.valueOf(hsmToken.slot()),
                "CRATE_PKCS11_PIN_FILE",
                pinFile.toString(),
                "CRATE_PKCS11_KEY_LABEL",
                "crate-root-1",
                "CRATE_PKCS11_GENERATE_KEY",
                "true"));
        // A wrong PIN: refused at start, saying which module and slot, never the PIN.
        Path wrongPin = Files.createTempFile("crate-it-pin", ".txt");
        Files.writeString(wrongPin, "97531\n");
        Map<String, String> wrong = new HashMap<>(hsm);
        wrong.put("CRATE_PKCS11_PIN_FILE", wrongPin.toString());
        ServerProcess refused = start(wrong);
        assertNotEquals(0, refused.awaitExit(120));
        assertTrue(
                refused.output().contains("PKCS#11") && refused.output().contains("CKR_PIN_INCORRECT"),
                refused.output());
        assertFalse(refused.output().contains("97531"), "the PIN is never printed");

        Map<String, String> migrating = new HashMap<>(hsm);
        migrating.put("CRATE_ROOT_KEY", envKey); // beside an HSM key, an env key is a previous key
        ServerProcess both = start(migrating).awaitReady();
        assertEquals(
                "hsm-crate-root-1",
                both.getJson("/operator/keys/root").get("active_kid").asText());
        assertEquals(202, both.post("/operator/keys/root/rotate", Map.of()).statusCode());
        await(
                "env key no longer needed",
                Duration.ofSeconds(60),
                () -> both.getJson("/operator/keys/root")
                                .get("no_longer_needed")
                                .size()
                        == 1);
        both.close();

        Map<String, String> hsmOnly = new HashMap<>(hsm);
        hsmOnly.put("CRATE_PKCS11_GENERATE_KEY", "false");
        ServerProcess after = start(hsmOnly).awaitReady();
        assertEquals("moved-into-the-hsm", after.retrieveAll(org).get("INTO_HSM"));
        assertEquals(200, after.store(org, "NEW_UNDER_HSM", "x").statusCode());
        assertEquals(
                0,
                database.count(
                        "select count(*) from org_keys where state <> 'retired' and root_kid <> 'hsm-crate-root-1'"));
        assertFalse(after.output().contains(SoftHsm.USER_PIN + "\n"), "the PIN is never printed");
    }
}
