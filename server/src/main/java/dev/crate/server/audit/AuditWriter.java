package dev.crate.server.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The one place audit records are written: lock the org's chain head, link the records after it, insert
 * them, move the head. Every path locks the head with the same upsert (created at seq 0 on first use),
 * which holds its row until the transaction ends: whoever holds it appends next, which orders the chain.
 * Three callers: a change's record inside the change's Hibernate transaction, batches of reads and
 * denials in a transaction of their own on the reactive pool (group commit), and a rotation's record on
 * the rotation's own connection.
 */
@ApplicationScoped
public class AuditWriter {
    private static final String LOCK_HEAD = "insert into audit_heads (org_id, seq, hash) values ($1, 0, $2) "
            + "on conflict (org_id) do update set seq = audit_heads.seq";
    private static final String READ_HEAD = "select seq, hash from audit_heads where org_id = $1";
    private static final String INSERT =
            "insert into audit_events (id, org_id, seq, occurred_at, actor_type, actor_id, "
                    + "actor_name, action, environment, name, version, detail, outcome, reason, client_ip, user_agent, request_id, "
                    + "prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
    private static final String MOVE_HEAD = "update audit_heads set seq = $2, hash = $3 where org_id = $1";

    private final Pool pool;

    AuditWriter(Pool pool) {
        this.pool = pool;
    }

    /** Whether the org exists (denials are recorded only in the chain of an org that does). */
    public Uni<Boolean> orgExists(UUID orgId) {
        return pool.preparedQuery("select 1 from organizations where id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<List<ChainedEvent>> append(UUID orgId, List<AuditEntry> entries) {
        return pool.withTransaction(connection -> append(connection, orgId, entries));
    }

    /** Inside a transaction the caller holds on {@code connection}: the records commit or fail with it. */
    public static Uni<List<ChainedEvent>> append(SqlConnection connection, UUID orgId, List<AuditEntry> entries) {
        return connection
                .preparedQuery(LOCK_HEAD + " returning seq, hash")
                .execute(Tuple.of(orgId, Buffer.buffer(AuditChain.GENESIS)))
                .chain(rows -> {
                    Row head = rows.iterator().next();
                    long seq = head.getLong("seq");
                    byte[] prev = head.getBuffer("hash").getBytes();
                    List<ChainedEvent> chained = new ArrayList<>(entries.size());
                    List<Tuple> tuples = new ArrayList<>(entries.size());
                    for (AuditEntry entry : entries) {
                        ChainedEvent event = AuditChain.link(UUID.randomUUID(), ++seq, entry, prev);
                        prev = event.hash();
                        chained.add(event);
                        tuples.add(tuple(event));
                    }
                    long last = seq;
                    byte[] lastHash = prev;
                    // both sent at once (pipelined on the connection): the head is held one round trip less
                    return Uni.combine()
                            .all()
                            .unis(
                                    connection.preparedQuery(INSERT).executeBatch(tuples),
                                    connection
                                            .preparedQuery(MOVE_HEAD)
                                            .execute(Tuple.of(orgId, last, Buffer.buffer(lastHash))))
                            .discardItems()
                            .replaceWith(chained);
                });
    }

    /**
     * Whether record {@code recordId} of the org's chain is committed: asked when a transaction that appended
     * it sent its {@code COMMIT} and got no answer (the connection was lost). The head is locked first (a
     * share lock, held only by this short transaction): that transaction held the head when it sent its
     * {@code COMMIT}, and keeps it until PostgreSQL has committed or rolled it back, so the answer is final,
     * never "not yet". The wait is bounded by the pool's statement timeout (a failure then: unknown).
     */
    public Uni<Boolean> recorded(UUID orgId, UUID recordId) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select 1 from audit_heads where org_id = $1 for share")
                .execute(Tuple.of(orgId))
                // a new statement, so a new snapshot: it sees that transaction's outcome
                .chain(() -> connection
                        .preparedQuery("select 1 from audit_events where id = $1 and org_id = $2")
                        .execute(Tuple.of(recordId, orgId)))
                .map(rows -> rows.size() > 0));
    }

    /**
     * Inside the caller's Hibernate transaction (flushed by the caller first, so that the change's own
     * failures stay its own): the change and its record commit or fail together.
     */
    public Uni<ChainedEvent> append(Mutiny.Session session, AuditEntry entry) {
        UUID orgId = entry.orgId();
        return session.createNativeQuery(positional(LOCK_HEAD))
                .setParameter(1, orgId)
                .setParameter(2, AuditChain.GENESIS)
                .executeUpdate()
                .chain(() -> session.createNativeQuery(positional(READ_HEAD), Object[].class)
                        .setParameter(1, orgId)
                        .getSingleResult())
                .chain(head -> {
                    ChainedEvent event = AuditChain.link(
                            UUID.randomUUID(), ((Number) head[0]).longValue() + 1, entry, (byte[]) head[1]);
                    Mutiny.MutationQuery insert = session.createNativeQuery(positional(INSERT));
                    List<Object> values = values(event);
                    for (int i = 0; i < values.size(); i++) {
                        insert.setParameter(i + 1, values.get(i));
                    }
                    return insert.executeUpdate()
                            .chain(() -> session.createNativeQuery(positional(MOVE_HEAD))
                                    .setParameter(1, orgId)
                                    .setParameter(2, event.seq())
                                    .setParameter(3, event.hash())
                                    .executeUpdate())
                            .replaceWith(event);
                });
    }

    /** The same statement for Hibernate, which numbers parameters {@code ?1} instead of {@code $1}. */
    private static String positional(String sql) {
        return sql.replaceAll("\\$(\\d+)", "?$1");
    }

    private static List<Object> values(ChainedEvent event) {
        AuditEntry e = event.entry();
        return Arrays.asList(
                event.id(),
                e.orgId(),
                event.seq(),
                e.occurredAt(),
                e.actorType(),
                e.actorId(),
                e.actorName(),
                e.action(),
                e.environment(),
                e.name(),
                e.version(),
                e.detail(),
                e.outcome(),
                e.reason(),
                e.clientIp(),
                e.userAgent(),
                e.requestId(),
                event.prevHash(),
                event.hash());
    }

    private static Tuple tuple(ChainedEvent event) {
        AuditEntry e = event.entry();
        return Tuple.tuple()
                .addUUID(event.id())
                .addUUID(e.orgId())
                .addLong(event.seq())
                .addOffsetDateTime(e.occurredAt())
                .addString(e.actorType())
                .addString(e.actorId())
                .addString(e.actorName())
                .addString(e.action())
                .addString(e.environment())
                .addString(e.name())
                .addInteger(e.version())
                .addString(e.detail())
                .addString(e.outcome())
                .addString(e.reason())
                .addString(e.clientIp())
                .addString(e.userAgent())
                .addString(e.requestId())
                .addValue(Buffer.buffer(event.prevHash()))
                .addValue(Buffer.buffer(event.hash()));
    }
}
