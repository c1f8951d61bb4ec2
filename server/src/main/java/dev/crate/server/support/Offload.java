package dev.crate.server.support;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs CPU-heavy crypto (RSA private operations, key generation) on a worker thread and resumes on
 * the caller's Vert.x context, so the event loop is never blocked and reactive sessions keep working.
 */
public final class Offload {
    private Offload() {}

    public static <T> Uni<T> cpu(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
