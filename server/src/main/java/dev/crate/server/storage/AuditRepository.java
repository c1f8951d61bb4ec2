package dev.crate.server.storage;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Audit records through the request's Hibernate session: appends inside a transaction, and retention. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEventRecord, UUID> {

    /**
     * The org's chain head, locked for update until the transaction ends (created at seq 0 on first use).
     * Whoever holds it appends next: this is what orders the chain.
     */
    public Uni<AuditHeadRecord> lockHead(UUID orgId, byte[] genesis) {
        return getSession().chain(session -> session.createNativeQuery(
                        "insert into audit_heads (org_id, seq, hash) values (:org, 0, :hash) on conflict (org_id) do nothing")
                .setParameter("org", orgId)
                .setParameter("hash", genesis)
                .executeUpdate()
                .chain(() -> session.find(AuditHeadRecord.class, orgId, LockModeType.PESSIMISTIC_WRITE)));
    }

    public Uni<AuditCheckpointRecord> checkpoint(UUID orgId) {
        return getSession().chain(session -> session.find(AuditCheckpointRecord.class, orgId));
    }

    /** The newest record older than {@code cutoff}, by seq; null when none is. */
    public Uni<AuditEventRecord> lastOlderThan(UUID orgId, OffsetDateTime cutoff) {
        return find("orgId = ?1 and seq = (select max(e.seq) from AuditEventRecord e where e.orgId = ?1 and e.occurredAt < ?2)",
                orgId, cutoff).firstResult();
    }

    /** The orgs that have records older than {@code cutoff}. */
    public Uni<List<UUID>> orgsWithRecordsOlderThan(OffsetDateTime cutoff) {
        return getSession().chain(session -> session.createSelectionQuery(
                        "select distinct orgId from AuditEventRecord where occurredAt < :cutoff", UUID.class)
                .setParameter("cutoff", cutoff).getResultList());
    }

    public Uni<Long> deleteUpTo(UUID orgId, long seq) {
        return delete("orgId = ?1 and seq <= ?2", orgId, seq);
    }
}
