package dev.crate.server.api.grpc;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.api.grpc.v1.SecretEventsServiceGrpc;
import dev.crate.server.api.grpc.v1.WatchSecretsRequest;
import dev.crate.server.api.grpc.v1.WatchSecretsResponse;
import dev.crate.server.events.EventsProfile;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code SecretEventsService/WatchSecrets} with a real grpc-java client (docs/GRPC.md): changes arrive with
 * their event id and no value, environment and tag scopes hold as over SSE, {@code last_event_id} resumes
 * without loss, and a revoked key ends the call with {@code UNAUTHENTICATED}. Same profile as the SSE tests.
 */
@QuarkusTest
@TestProfile(EventsProfile.class)
class SecretEventsGrpcTest {
    private static final long WAIT_SECONDS = 10;
    private final List<Watch> watches = new ArrayList<>();
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg(); // with environments dev, staging and prod
    }

    @AfterEach
    void cancel() {
        watches.forEach(Watch::cancel);
    }

    /** One WatchSecrets call: its messages in a queue, how it ended. */
    private static final class Watch implements StreamObserver<WatchSecretsResponse> {
        final BlockingQueue<WatchSecretsResponse> messages = new LinkedBlockingQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final Context.CancellableContext context = Context.current().withCancellation();

        @Override
        public void onNext(WatchSecretsResponse value) {
            messages.add(value);
        }

        @Override
        public void onError(Throwable t) {
            failure.set(t);
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            ended.countDown();
        }

        /** The next message other than a heartbeat, or null within the wait. */
        WatchSecretsResponse next(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                long left = deadline - System.nanoTime();
                WatchSecretsResponse m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (m == null || !m.hasHeartbeat()) {
                    return m;
                }
            }
        }

        WatchSecretsResponse nextChange() throws InterruptedException {
            WatchSecretsResponse m = next(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull(m, "no message within " + WAIT_SECONDS + " s");
            assertTrue(m.hasChange(), "a change, not " + m);
            return m;
        }

        void cancel() {
            context.cancel(null);
        }
    }

    private Watch watch(String token, WatchSecretsRequest.Builder request) {
        Watch watch = new Watch();
        watches.add(watch);
        // no deadline: a watch is meant to stay open; the test cancels it
        SecretEventsServiceGrpc.SecretEventsServiceStub stub =
                Grpc.as(token, SecretEventsServiceGrpc.newStub(Grpc.channel())).withDeadline(null);
        watch.context.run(
                () -> stub.watchSecrets(request.setOrganizationId(org.id()).build(), watch));
        return watch;
    }

    private Watch watchFromNow(String token, WatchSecretsRequest.Builder request) throws Exception {
        Watch watch = watch(token, request);
        WatchSecretsResponse first = watch.next(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertNotNull(first, "the first message (the position) within " + WAIT_SECONDS + " s: " + watch.failure.get());
        assertTrue(first.hasPosition(), "first message is the position: " + first);
        return watch;
    }

    @Test
    void aStoreArrivesAsAChangeAndLastEventIdResumesWithoutLoss() throws Exception {
        Watch watch = watchFromNow(org.adminKey(), WatchSecretsRequest.newBuilder());
        Api.storeOk(org, "dev", "DB_PASSWORD", "canary-value-51b7", List.of("backend"));
        WatchSecretsResponse first = watch.nextChange();
        assertEquals("DB_PASSWORD", first.getChange().getName());
        assertEquals("dev", first.getChange().getEnvironment());
        assertEquals(1, first.getChange().getVersion());
        assertEquals("stored", first.getChange().getAction());
        assertEquals(List.of("backend"), first.getChange().getTagsList());
        assertTrue(first.getChange().getAt().getSeconds() > 0);
        assertFalse(first.toString().contains("canary-value-51b7"));
        watch.cancel();

        Api.storeOk(org, "dev", "WHILE_AWAY_1", "v", null);
        Api.storeOk(org, "dev", "WHILE_AWAY_2", "v", null);
        Watch resumed = watch(org.adminKey(), WatchSecretsRequest.newBuilder().setLastEventId(first.getEventId()));
        WatchSecretsResponse away1 = resumed.nextChange();
        assertEquals("WHILE_AWAY_1", away1.getChange().getName());
        assertTrue(away1.getEventId() > first.getEventId());
        assertEquals("WHILE_AWAY_2", resumed.nextChange().getChange().getName());
        Api.storeOk(org, "dev", "LIVE_AGAIN", "v", null);
        assertEquals("LIVE_AGAIN", resumed.nextChange().getChange().getName());
    }

    @Test
    void aViewerLimitedToDevGetsNoProdChangesAndATagScopedKeyOnlyItsTags() throws Exception {
        Watch dev = watchFromNow(
                key(Map.of("name", "dev viewer", "role", "viewer", "environments", List.of("dev"))),
                WatchSecretsRequest.newBuilder());
        Watch payments = watchFromNow(
                key(Map.of("name", "payments", "role", "viewer", "tags", List.of("payments"))),
                WatchSecretsRequest.newBuilder());
        Api.storeOk(org, "prod", "PROD_ONLY", "p", List.of("payments"));
        Api.storeOk(org, "dev", "SEARCH", "s", List.of("search"));
        Api.storeOk(org, "dev", "STRIPE", "s", List.of("payments"));
        assertEquals("SEARCH", dev.nextChange().getChange().getName());
        assertEquals("STRIPE", dev.nextChange().getChange().getName());
        assertEquals("PROD_ONLY", payments.nextChange().getChange().getName());
        assertEquals("STRIPE", payments.nextChange().getChange().getName());
        assertNull(dev.next(500), "nothing more for the dev viewer");
        assertNull(payments.next(100), "nothing more for the payments key");

        String devOnly = key(Map.of("name", "dev only", "role", "viewer", "environments", List.of("dev")));
        Watch prod = watch(devOnly, WatchSecretsRequest.newBuilder().setEnvironment("prod"));
        assertTrue(prod.ended.await(WAIT_SECONDS, TimeUnit.SECONDS), "a refused watch fails at once");
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                Status.fromThrowable(prod.failure.get()).getCode(),
                String.valueOf(prod.failure.get()));
        assertTrue(prod.messages.isEmpty(), "refused before its first message");
    }

    @Test
    void aRevokedKeyEndsTheCallWithUnauthenticated() throws Exception {
        var created = as(org.adminKey())
                .body(Map.of("name", "soon revoked", "role", "viewer"))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract();
        String key = created.path("key");
        String keyId = created.path("id");
        Watch watch = watchFromNow(key, WatchSecretsRequest.newBuilder());
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/api-keys/" + keyId)
                .then()
                .statusCode(204);
        Api.storeOk(org, "dev", "AFTER_REVOKE", "x", null);
        assertTrue(watch.ended.await(WAIT_SECONDS, TimeUnit.SECONDS), "the call ends at the next event or heartbeat");
        Throwable failure = watch.failure.get();
        assertTrue(failure instanceof StatusRuntimeException, "the call failed with a status: " + failure);
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(failure).getCode());
        assertEquals(
                "unauthenticated",
                Grpc.failure(() -> {
                            throw (StatusRuntimeException) failure;
                        })
                        .code());
        for (WatchSecretsResponse m : watch.messages) {
            assertFalse(m.hasChange() && m.getChange().getName().equals("AFTER_REVOKE"), "not sent after revocation");
        }
    }

    private String key(Map<String, Object> body) {
        return as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }
}
