package dev.crate.server.events;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.log.LogId;
import dev.crate.server.support.Times;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Deletes change events older than {@code crate.events.retention} (default 24 h) and moves the horizon a
 * resume is checked against; one replica at a time.
 */
@ApplicationScoped
public class EventRetentionJob {
    private static final Logger LOG = Logger.getLogger(EventRetentionJob.class);
    private final SecretEventRepository events;
    private final Duration retention;

    EventRetentionJob(SecretEventRepository events, CrateConfig config) {
        this.events = events;
        this.retention = config.events().retention();
    }

    @Scheduled(
            every = "${crate.events.prune-every:5m}",
            delayed = "${crate.events.prune-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure()
                .invoke(e -> LogId.EVENTS_RETENTION_FAILED.log(LOG, e.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes what is older than the retention window; how many events. */
    public Uni<Integer> run() {
        return events.deleteBefore(Times.now().minus(retention));
    }
}
