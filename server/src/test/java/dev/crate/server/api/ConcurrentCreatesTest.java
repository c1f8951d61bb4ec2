package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Racing creates of one name: exactly one 201, the rest the resource's 409, never a 500. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ConcurrentCreatesTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 5;

    @Test
    void racingEnvironmentCreatesGiveOneCreatedAndConflicts() throws Exception {
        Org org = Api.newOrg();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "race-" + round;
            race(
                    () -> as(org.adminKey())
                            .body(Map.of("name", name))
                            .post("/organization/" + org.id() + "/environments"),
                    "environment_exists");
        }
    }

    @Test
    void racingMemberAddsByEmailGiveOneCreatedAndConflicts() throws Exception {
        Org org = Api.newOrg();
        for (int round = 0; round < ROUNDS; round++) {
            String email = "race-" + round + "@example.com";
            race(
                    () -> as(org.adminKey())
                            .body(Map.of("email", email, "role", "viewer"))
                            .post("/organization/" + org.id() + "/members"),
                    "member_exists");
        }
    }

    private static void race(Supplier<Response> create, String conflict) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return create.get();
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<Response> call : calls) {
                Response response = call.get(60, TimeUnit.SECONDS);
                int status = response.statusCode();
                assertTrue(status < 500, "a racing create answered " + status + ": " + response.asString());
                if (status == 201) {
                    created++;
                } else {
                    assertEquals(409, status, response.asString());
                    assertEquals(conflict, response.path("code"));
                }
            }
            assertEquals(1, created, "exactly one racing create succeeds");
        } finally {
            pool.shutdownNow();
        }
    }
}
