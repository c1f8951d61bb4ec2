package dev.crate.server.audit.trail;

import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditCheckpointRecord;
import dev.crate.server.audit.AuditRepository;
import dev.crate.server.audit.AuditService;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.AuditMac;
import dev.crate.server.keys.KeyService;
import dev.crate.server.log.LogId;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes audit records older than {@code crate.audit.retention}, org by org, and leaves a checkpoint in
 * their place: the seq and hash of the last removed record, with an HMAC under a key derived from the org
 * key. The remaining chain verifies from there, and the removal itself is on record. One replica at a time
 * (a PostgreSQL advisory lock).
 */
@ApplicationScoped
public class AuditRetentionJob {
    private static final Logger LOG = Logger.getLogger(AuditRetentionJob.class);
    private static final long LOCK = 0x63726174_65617564L; // "crateaud"
    private final AuditRepository records;
    private final AuditService audit;
    private final KeyService keys;
    private final Duration retention;

    AuditRetentionJob(AuditRepository records, AuditService audit, KeyService keys, CrateConfig config) {
        this.records = records;
        this.audit = audit;
        this.keys = keys;
        this.retention = config.audit().retention();
    }

    @Scheduled(
            every = "${crate.audit.retention-check-every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(Times.now().minus(retention))
                .onFailure()
                .invoke(e -> LogId.AUDIT_RETENTION_FAILED.log(LOG, e.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Removes every record older than {@code cutoff}; returns how many orgs it trimmed. */
    public Uni<Integer> run(OffsetDateTime cutoff) {
        return Panache.withSession(() -> records.orgsWithRecordsOlderThan(cutoff))
                .chain(orgs -> Multi.createFrom()
                        .iterable(orgs)
                        .onItem()
                        .transformToUniAndConcatenate(org -> trim(org, cutoff))
                        .collect()
                        .asList()
                        .map(done -> (int)
                                done.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> trim(UUID orgId, OffsetDateTime cutoff) {
        return Panache.withTransaction(() -> records.getSession()
                .chain(session -> session.createNativeQuery(
                                "select pg_try_advisory_xact_lock(hashtextextended(cast(:org as text), " + LOCK + "))",
                                Boolean.class)
                        .setParameter("org", orgId.toString())
                        .getSingleResult())
                .chain(locked -> !locked
                        ? Uni.createFrom().item(false)
                        : records.lastOlderThan(orgId, cutoff).chain(last -> {
                            if (last == null) {
                                return Uni.createFrom().item(false);
                            }
                            return keys.lockActiveOrgKey(orgId)
                                    .chain(orgKey -> records.checkpoint(orgId).chain(existing -> {
                                        AuditCheckpointRecord checkpoint =
                                                existing != null ? existing : new AuditCheckpointRecord();
                                        checkpoint.orgId = orgId;
                                        checkpoint.seq = last.seq;
                                        checkpoint.hash = last.hash;
                                        checkpoint.removedBefore = cutoff;
                                        checkpoint.orgKeyVersion = orgKey.version();
                                        checkpoint.mac = AuditMac.mac(
                                                orgKey.material(),
                                                orgId,
                                                last.seq,
                                                last.hash,
                                                AuditTrailService.micros(cutoff));
                                        checkpoint.createdAt = Times.now();
                                        Uni<?> saved = existing != null
                                                ? Uni.createFrom().item(existing)
                                                : records.getSession().chain(session -> session.persist(checkpoint));
                                        return saved.chain(() -> records.deleteUpTo(orgId, last.seq))
                                                .chain(removed -> audit.append(audit.systemEntry(
                                                                orgId, AuditAction.AUDIT_RETENTION, null, null, null)
                                                        .withDetail(audit.detail(Map.of(
                                                                "removed",
                                                                removed,
                                                                "checkpoint_seq",
                                                                last.seq,
                                                                "removed_before",
                                                                cutoff.toString())))))
                                                .replaceWith(true);
                                    }));
                        })));
    }
}
