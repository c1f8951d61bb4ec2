package dev.crate.server.events;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.identity.ApiKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * What a stream's caller may see, resolved as the list endpoint does ({@link AccessPolicy}), plus, for an
 * API key, that its row is still active: authentication read it when the stream opened, and a stream
 * outlives that request. Re-checks run from timers and notification handlers, so each runs on a fresh
 * Vert.x context of its own, as Hibernate Reactive sessions need.
 */
@ApplicationScoped
class StreamAccess {
    private final AccessPolicy policy;
    private final ApiKeyRepository apiKeys;
    private final Vertx vertx;

    StreamAccess(AccessPolicy policy, ApiKeyRepository apiKeys, Vertx vertx) {
        this.policy = policy;
        this.apiKeys = apiKeys;
        this.vertx = vertx;
    }

    /** The caller's access now, or a {@link CrateException} when it has none any more. */
    Uni<Access> check(Caller caller, String orgId) {
        return onOwnContext(() -> policy.resolve(caller, orgId).call(access -> keyStillActive(caller)));
    }

    private Uni<Void> keyStillActive(Caller caller) {
        if (caller.apiKey().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        var scope = caller.apiKey().get();
        return Panache.withSession(() -> apiKeys.findActive(scope.orgId(), scope.keyId()))
                .invoke(key -> {
                    if (key == null || key.expiresAt != null && !key.expiresAt.isAfter(OffsetDateTime.now())) {
                        throw new CrateException(ErrorCode.UNAUTHENTICATED, "the API key was revoked or has expired");
                    }
                })
                .replaceWithVoid();
    }

    private <T> Uni<T> onOwnContext(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom()
                .emitter(emitter ->
                        context.runOnContext(ignored -> work.get().subscribe().with(emitter::complete, emitter::fail)));
    }
}
