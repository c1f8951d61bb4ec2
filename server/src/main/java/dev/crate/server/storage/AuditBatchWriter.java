package dev.crate.server.storage;

import dev.crate.server.audit.AuditChain;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.ChainedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Appends a batch of one org's audit records in a transaction of its own, straight on the reactive
 * pool (outside any request's Hibernate session): lock the chain head, link, insert, move the head.
 */
@ApplicationScoped
public class AuditBatchWriter {
    private static final String LOCK_HEAD = "insert into audit_heads (org_id, seq, hash) values ($1, 0, $2) "
            + "on conflict (org_id) do update set seq = audit_heads.seq returning seq, hash";
    private static final String INSERT = "insert into audit_events (id, org_id, seq, occurred_at, actor_type, actor_id, "
            + "actor_name, action, environment, name, version, detail, outcome, reason, client_ip, user_agent, request_id, "
            + "prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
    private static final String MOVE_HEAD = "update audit_heads set seq = $2, hash = $3 where org_id = $1";

    private final Pool pool;

    AuditBatchWriter(Pool pool) {
        this.pool = pool;
    }

    /** Whether the org exists (denials are recorded only in the chain of an org that does). */
    public Uni<Boolean> orgExists(UUID orgId) {
        return pool.preparedQuery("select 1 from organizations where id = $1").execute(Tuple.of(orgId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<List<ChainedEvent>> append(UUID orgId, List<AuditEntry> entries) {
        return pool.withTransaction(connection -> append(connection, orgId, entries));
    }

    /** Inside a transaction the caller holds on {@code connection}: the records commit or fail with it. */
    public static Uni<List<ChainedEvent>> append(SqlConnection connection, UUID orgId, List<AuditEntry> entries) {
        return connection.preparedQuery(LOCK_HEAD).execute(Tuple.of(orgId, Buffer.buffer(AuditChain.GENESIS)))
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
                    return connection.preparedQuery(INSERT).executeBatch(tuples)
                            .chain(() -> connection.preparedQuery(MOVE_HEAD).execute(Tuple.of(orgId, last, Buffer.buffer(lastHash))))
                            .replaceWith(chained);
                });
    }

    private static Tuple tuple(ChainedEvent event) {
        AuditEntry e = event.entry();
        return Tuple.tuple().addUUID(event.id()).addUUID(e.orgId()).addLong(event.seq())
                .addOffsetDateTime(e.occurredAt()).addString(e.actorType()).addString(e.actorId()).addString(e.actorName())
                .addString(e.action()).addString(e.environment()).addString(e.name()).addInteger(e.version())
                .addString(e.detail()).addString(e.outcome()).addString(e.reason()).addString(e.clientIp())
                .addString(e.userAgent()).addString(e.requestId()).addValue(Buffer.buffer(event.prevHash()))
                .addValue(Buffer.buffer(event.hash()));
    }
}
