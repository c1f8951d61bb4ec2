package dev.crate.server.storage;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Audit records through the request's Hibernate session: appends inside a transaction, queries, retention. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEventRecord, UUID> {

    /** What a listing filters on; null parts do not filter. */
    public record Filter(OffsetDateTime from, OffsetDateTime to, String actor, String action, String environment) {
    }

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

    public Uni<AuditHeadRecord> head(UUID orgId) {
        return getSession().chain(session -> session.find(AuditHeadRecord.class, orgId));
    }

    public Uni<AuditCheckpointRecord> checkpoint(UUID orgId) {
        return getSession().chain(session -> session.find(AuditCheckpointRecord.class, orgId));
    }

    /** Newest first, below {@code beforeSeq} when given. */
    public Uni<List<AuditEventRecord>> page(UUID orgId, Filter filter, Long beforeSeq, int limit) {
        StringBuilder where = new StringBuilder("orgId = :org");
        List<Object[]> params = new ArrayList<>();
        params.add(new Object[] {"org", orgId});
        if (filter.from() != null) {
            where.append(" and occurredAt >= :from");
            params.add(new Object[] {"from", filter.from()});
        }
        if (filter.to() != null) {
            where.append(" and occurredAt < :to");
            params.add(new Object[] {"to", filter.to()});
        }
        if (filter.actor() != null) {
            where.append(" and (actorId = :actor or lower(actorName) = lower(:actor))");
            params.add(new Object[] {"actor", filter.actor()});
        }
        if (filter.action() != null) {
            if (filter.action().endsWith(".")) {
                where.append(" and action like :action");
                params.add(new Object[] {"action", filter.action() + "%"});
            } else {
                where.append(" and action = :action");
                params.add(new Object[] {"action", filter.action()});
            }
        }
        if (filter.environment() != null) {
            where.append(" and environment = :env");
            params.add(new Object[] {"env", filter.environment()});
        }
        if (beforeSeq != null) {
            where.append(" and seq < :before");
            params.add(new Object[] {"before", beforeSeq});
        }
        return getSession().chain(session -> {
            var query = session.createSelectionQuery("from AuditEventRecord where " + where + " order by seq desc",
                    AuditEventRecord.class);
            for (Object[] p : params) {
                query.setParameter((String) p[0], p[1]);
            }
            return query.setMaxResults(limit).getResultList();
        });
    }

    /** Oldest first, after {@code afterSeq}. */
    public Uni<List<AuditEventRecord>> ascending(UUID orgId, long afterSeq, int limit) {
        return find("orgId = ?1 and seq > ?2 order by seq", orgId, afterSeq).range(0, limit - 1).list();
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
