package dev.crate.server.faults;

import static dev.crate.server.testing.PrivatePostgresResource.ROLE;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.PrivatePostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness means "this replica cannot serve" (docs/OPERATIONS.md, section 2): it stays UP while a
 * database role limited to 2 connections serves most requests under load, goes DOWN during a full
 * outage and when the data directory it owns cannot be written, and comes back UP afterwards.
 */
@QuarkusTest
@TestProfile(PrivatePostgresResource.Profile.class)
class ReadinessUnderFaultsTest {
    @ConfigProperty(name = "crate.data-dir")
    Path dataDir;

    @AfterEach
    void heal() throws Exception {
        PrivatePostgresResource.database().restart();
        PrivatePostgresResource.sql("alter role " + ROLE + " connection limit -1");
    }

    @Test
    void aRoleLimitedToTwoConnectionsUnderLoadKeepsTheReplicaReadyWhileMostRequestsSucceed() throws Exception {
        Org org = Api.newOrg();
        PrivatePostgresResource.sql("alter role " + ROLE + " connection limit 2");
        PrivatePostgresResource.terminateSessions();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        // as many clients as the role has connections: the pool (4) still tries to grow past the limit
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(load.submit(() -> {
                while (System.nanoTime() < until) {
                    int status = Api.as(org.adminKey())
                            .get("/organization/" + org.id() + "/environments")
                            .statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        // the limit holds from now on: probe once the pool has settled into the connections it can have
        Thread.sleep(1000);
        List<String> notReady = new ArrayList<>();
        int probes = 0;
        while (System.nanoTime() < until) {
            Response ready = given().get("/q/health/ready");
            probes++;
            if (ready.statusCode() != 200) {
                notReady.add(ready.asString());
            }
            Thread.sleep(250);
        }
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        load.shutdownNow();
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), "statuses " + statuses);
        assertTrue(ok * 2 > total, "most requests succeed: " + statuses);
        assertTrue(notReady.isEmpty(), notReady.size() + " of " + probes + " probes not ready: " + notReady);
    }

    @Test
    void aFullOutageTakesTheReplicaOutAndItComesBackAfterwards() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        assertTrue(PrivatePostgresResource.database().stopServer());
        Response down = awaitReadiness(503, 15);
        assertEquals(
                "unreachable or not migrated",
                down.path("checks.find { it.name == 'crate' }.data.database"),
                down.asString());
        PrivatePostgresResource.database().restart();
        awaitReadiness(200, 5);
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenTakesTheReplicaOut() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        Path aside = dataDir.resolveSibling(dataDir.getFileName() + ".aside");
        Files.move(dataDir, aside);
        Files.writeString(dataDir, "not a directory");
        try {
            Response down = awaitReadiness(503, 15);
            String storage = down.path("checks.find { it.name == 'crate' }.data.storage");
            assertTrue(storage.contains("not writable"), storage);
        } finally {
            Files.delete(dataDir);
            Files.move(aside, dataDir);
        }
        awaitReadiness(200, 15);
    }

    private static Response awaitReadiness(int status, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = given().get("/q/health/ready");
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness not " + status + " within " + seconds + " s: "
                + (last == null ? "" : last.statusCode() + " " + last.asString()));
    }
}
