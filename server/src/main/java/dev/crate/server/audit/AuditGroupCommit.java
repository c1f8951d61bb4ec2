package dev.crate.server.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit of audit records that need a transaction of their own (reads, denials): per org, one
 * transaction at a time writes every record that queued up meanwhile, then completes each waiter
 * after the commit. Concurrent reads thus share one commit instead of queueing on the chain head
 * one by one, and no caller goes on before its record is durable.
 */
final class AuditGroupCommit {
    private static final int MAX_BATCH = 256;

    private final AuditWriter writer;
    private final Map<UUID, OrgQueue> queues = new ConcurrentHashMap<>();

    private record Pending(AuditEntry entry, CompletableFuture<Void> done) {}

    private static final class OrgQueue {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        boolean flushing;
    }

    AuditGroupCommit(AuditWriter writer) {
        this.writer = writer;
    }

    /** Completes (on the caller's Vert.x context) once the record is committed; fails when it could not be. */
    Uni<Void> submit(AuditEntry entry) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            OrgQueue queue = queues.computeIfAbsent(entry.orgId(), id -> new OrgQueue());
            boolean start;
            synchronized (queue) {
                queue.pending.add(new Pending(entry, done));
                start = !queue.flushing;
                queue.flushing = true;
            }
            if (start) {
                flush(entry.orgId(), queue);
            }
            Uni<Void> uni = Uni.createFrom().completionStage(done);
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    private void flush(UUID orgId, OrgQueue queue) {
        List<Pending> batch = new ArrayList<>();
        synchronized (queue) {
            while (!queue.pending.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pending.poll());
            }
            if (batch.isEmpty()) {
                queue.flushing = false;
                return;
            }
        }
        writer.append(orgId, batch.stream().map(Pending::entry).toList())
                .subscribe()
                .with(
                        written -> {
                            batch.forEach(p -> p.done().complete(null));
                            flush(orgId, queue);
                        },
                        failure -> {
                            batch.forEach(p -> p.done().completeExceptionally(failure));
                            flush(orgId, queue);
                        });
    }
}
