package dev.crate.server.audit.trail;

import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.ChainedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads audit records straight from the reactive pool, page by page (keyset on {@code seq}), so that a
 * long export streams without holding a Hibernate session.
 */
@ApplicationScoped
public class AuditReader {
    private final Pool pool;

    AuditReader(Pool pool) {
        this.pool = pool;
    }

    /** What a listing filters on; null parts do not filter. An action ending in '.' matches a family ("secret."). */
    public record Filter(OffsetDateTime from, OffsetDateTime to, String actor, String action, String environment) {
        public static final Filter NONE = new Filter(null, null, null, null, null);
    }

    /** A chain head or checkpoint: seq and hash. */
    public record Anchor(long seq, byte[] hash) {}

    /** A checkpoint left by retention. */
    public record Checkpoint(long seq, byte[] hash, OffsetDateTime removedBefore, int orgKeyVersion, byte[] mac) {}

    /** Runs {@code work} on one connection in a read-only repeatable-read transaction: one snapshot of the chain. */
    public <T> Uni<T> inSnapshot(java.util.function.Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(connection -> connection
                .query("set transaction isolation level repeatable read, read only")
                .execute()
                .chain(() -> work.apply(connection)));
    }

    /** Records after {@code afterSeq} oldest first, or before {@code beforeSeq} newest first. */
    public Uni<List<ChainedEvent>> page(UUID orgId, Filter filter, Long afterSeq, Long beforeSeq, int limit) {
        return page(pool, orgId, filter, afterSeq, beforeSeq, limit);
    }

    public Uni<List<ChainedEvent>> page(
            SqlClient client, UUID orgId, Filter filter, Long afterSeq, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("select * from audit_events where org_id = $1");
        Tuple params = Tuple.of(orgId);
        if (filter.from() != null) {
            params.addOffsetDateTime(filter.from());
            sql.append(" and occurred_at >= $").append(params.size());
        }
        if (filter.to() != null) {
            params.addOffsetDateTime(filter.to());
            sql.append(" and occurred_at < $").append(params.size());
        }
        if (filter.actor() != null) {
            params.addString(filter.actor());
            sql.append(" and (actor_id = $")
                    .append(params.size())
                    .append(" or lower(actor_name) = lower($")
                    .append(params.size())
                    .append("))");
        }
        if (filter.action() != null) {
            boolean family = filter.action().endsWith(".");
            params.addString(family ? filter.action().replace("_", "\\_") + "%" : filter.action());
            sql.append(family ? " and action like $" : " and action = $").append(params.size());
        }
        if (filter.environment() != null) {
            params.addString(filter.environment());
            sql.append(" and environment = $").append(params.size());
        }
        if (afterSeq != null) {
            params.addLong(afterSeq);
            sql.append(" and seq > $").append(params.size());
        }
        if (beforeSeq != null) {
            params.addLong(beforeSeq);
            sql.append(" and seq < $").append(params.size());
        }
        sql.append(beforeSeq != null || afterSeq == null ? " order by seq desc" : " order by seq");
        params.addInteger(limit);
        sql.append(" limit $").append(params.size());
        return client.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<ChainedEvent> events = new ArrayList<>();
            rows.forEach(row -> events.add(event(row)));
            return events;
        });
    }

    public Uni<Optional<Anchor>> head(SqlClient client, UUID orgId) {
        return client.preparedQuery("select seq, hash from audit_heads where org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(anchor(rows.iterator().next())));
    }

    public Uni<Optional<Checkpoint>> checkpoint(SqlClient client, UUID orgId) {
        return client.preparedQuery("select * from audit_checkpoints where org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Checkpoint(
                            row.getLong("seq"),
                            row.getBuffer("hash").getBytes(),
                            row.getOffsetDateTime("removed_before"),
                            row.getInteger("org_key_version"),
                            row.getBuffer("mac").getBytes()));
                });
    }

    private static Anchor anchor(Row row) {
        return new Anchor(row.getLong("seq"), row.getBuffer("hash").getBytes());
    }

    private static ChainedEvent event(Row row) {
        AuditEntry entry = new AuditEntry(
                row.getUUID("org_id"),
                row.getOffsetDateTime("occurred_at").withOffsetSameInstant(ZoneOffset.UTC),
                row.getString("actor_type"),
                row.getString("actor_id"),
                row.getString("actor_name"),
                row.getString("action"),
                row.getString("environment"),
                row.getString("name"),
                row.getInteger("version"),
                row.getString("detail"),
                row.getString("outcome"),
                row.getString("reason"),
                row.getString("client_ip"),
                row.getString("user_agent"),
                row.getString("request_id"));
        return new ChainedEvent(
                row.getUUID("id"),
                row.getLong("seq"),
                entry,
                row.getBuffer("prev_hash").getBytes(),
                row.getBuffer("hash").getBytes());
    }
}
