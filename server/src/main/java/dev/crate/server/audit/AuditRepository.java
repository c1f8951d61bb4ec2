package dev.crate.server.audit;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Audit records through Hibernate, for retention (they are written by {@link AuditWriter} only). */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEventRecord, UUID> {

    public Uni<AuditCheckpointRecord> checkpoint(UUID orgId) {
        return getSession().chain(session -> session.find(AuditCheckpointRecord.class, orgId));
    }

    /** The newest record older than {@code cutoff}, by seq; null when none is. */
    public Uni<AuditEventRecord> lastOlderThan(UUID orgId, OffsetDateTime cutoff) {
        return find(
                        "orgId = ?1 and seq = (select max(e.seq) from AuditEventRecord e where e.orgId = ?1 and e.occurredAt < ?2)",
                        orgId,
                        cutoff)
                .firstResult();
    }

    /** The orgs that have records older than {@code cutoff}. */
    public Uni<List<UUID>> orgsWithRecordsOlderThan(OffsetDateTime cutoff) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                                "select distinct orgId from AuditEventRecord where occurredAt < :cutoff", UUID.class)
                        .setParameter("cutoff", cutoff)
                        .getResultList());
    }

    public Uni<Long> deleteUpTo(UUID orgId, long seq) {
        return delete("orgId = ?1 and seq <= ?2", orgId, seq);
    }
}
