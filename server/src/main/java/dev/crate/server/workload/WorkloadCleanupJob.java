package dev.crate.server.workload;

import dev.crate.server.log.LogId;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Removes expired workload tokens and the records of platform tokens past their own expiry (a platform
 * token can no longer be replayed once it expired: the exchange refuses it by {@code exp}).
 */
@ApplicationScoped
public class WorkloadCleanupJob {
    private static final Logger LOG = Logger.getLogger(WorkloadCleanupJob.class);
    private final WorkloadTokenRepository tokens;

    WorkloadCleanupJob(WorkloadTokenRepository tokens) {
        this.tokens = tokens;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        // a grace of an hour keeps an expired token's row readable for whoever investigates it
        return Panache.withTransaction(() -> tokens.deleteExpired(Times.now().minusHours(1)))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    LogId.WORKLOAD_CLEANUP_FAILED.log(LOG, e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }
}
