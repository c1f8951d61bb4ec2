package dev.crate.server.secrets;

import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.log.LogId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the newest {@code crate.secrets.max-versions} versions of every secret and deletes older ones, each
 * deletion on the audit trail of its org. One replica at a time (a PostgreSQL advisory lock).
 */
@ApplicationScoped
public class VersionRetentionJob {
    private static final Logger LOG = Logger.getLogger(VersionRetentionJob.class);
    private static final long LOCK = 0x63726174_65766572L; // "crateever"
    private final SecretVersionRepository versions;
    private final AuditService audit;
    private final int keep;

    VersionRetentionJob(SecretVersionRepository versions, AuditService audit, CrateConfig config) {
        this.versions = versions;
        this.audit = audit;
        this.keep = Math.max(1, config.secrets().maxVersions());
    }

    @Scheduled(
            every = "${crate.secrets.prune-every:1h}",
            delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().onFailure()
                .invoke(e -> LogId.VERSION_PRUNING_FAILED.log(LOG, e.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes versions beyond the newest {@code keep} of each secret; returns how many. */
    public Uni<Integer> run() {
        return Panache.withTransaction(() -> versions.getSession()
                .chain(session -> session.createNativeQuery(
                                "select pg_try_advisory_xact_lock(" + LOCK + ")", Boolean.class)
                        .getSingleResult()
                        .chain(locked -> !locked
                                ? Uni.createFrom().item(0)
                                : session.createNativeQuery(
                                                "with pruned as (delete from secret_versions v using secrets s where v.secret_id = s.id "
                                                        + "and v.version <= s.current_version - :keep "
                                                        + "returning s.org_id, s.environment, s.name, v.version) "
                                                        + "select cast(org_id as text), environment, name, count(*), max(version) from pruned "
                                                        + "group by org_id, environment, name",
                                                Object[].class)
                                        .setParameter("keep", keep)
                                        .getResultList()
                                        .chain(rows -> record(rows)))));
    }

    private Uni<Integer> record(List<Object[]> rows) {
        return Multi.createFrom()
                .iterable(rows)
                .onItem()
                .transformToUniAndConcatenate(row -> audit.append(audit.systemEntry(
                                        UUID.fromString((String) row[0]),
                                        AuditAction.SECRET_VERSIONS_PRUNED,
                                        (String) row[1],
                                        (String) row[2],
                                        null)
                                .withDetail(audit.detail(Map.of(
                                        "removed",
                                        ((Number) row[3]).intValue(),
                                        "up_to_version",
                                        ((Number) row[4]).intValue(),
                                        "kept",
                                        keep))))
                        .replaceWith(((Number) row[3]).intValue()))
                .collect()
                .asList()
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }
}
