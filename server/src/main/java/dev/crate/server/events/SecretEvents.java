package dev.crate.server.events;

import dev.crate.server.notify.Publish;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records a change in {@code secret_events} and announces it, inside the change's own transaction: the
 * row and the notification commit with the change or not at all. Called by the write paths of
 * {@code secrets} after their audit record, while the org's audit chain head is locked, so the event ids
 * of one org grow in commit order (the streams rely on it, ARCHITECTURE.md section 2).
 */
@ApplicationScoped
public class SecretEvents {
    /** The channel every replica's {@link EventHub} listens on; the payload is {@code <org id>:<event id>}. */
    public static final String CHANNEL = "crate_secret_events";

    /** One change to announce, for {@link #record(SqlConnection, UUID, List)}. */
    public record Change(String environment, String name, int version, SecretEventAction action, String[] tags) {}

    /**
     * The same for several changes of one org, in this order, inside the transaction the caller holds on
     * {@code connection} (the batched store path), after their audit records.
     */
    public Uni<Void> record(SqlConnection connection, UUID orgId, List<Change> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime at = Times.now();
        List<Tuple> tuples = new ArrayList<>(changes.size());
        for (Change c : changes) {
            tuples.add(Tuple.of(
                            orgId,
                            c.environment(),
                            c.name(),
                            c.version(),
                            c.action().wire())
                    .addArrayOfString(c.tags() == null ? new String[0] : c.tags())
                    .addOffsetDateTime(at));
        }
        return connection
                .preparedQuery("insert into secret_events (org_id, environment, name, version, action, tags, at) "
                        + "values ($1, $2, $3, $4, $5, $6, $7) returning id")
                .executeBatch(tuples)
                .chain(rows -> {
                    List<String> payloads = new ArrayList<>(changes.size());
                    for (RowSet<Row> set = rows; set != null; set = set.next()) {
                        for (Row row : set) {
                            payloads.add(orgId + ":" + row.getLong("id"));
                        }
                    }
                    return Publish.inTransaction(connection, CHANNEL, payloads);
                });
    }

    public Uni<Void> record(
            UUID orgId, String environment, String name, int version, SecretEventAction action, String[] tags) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into secret_events (org_id, environment, name, version, action, tags, at) "
                                        + "values (:org, :env, :name, :version, :action, cast(:tags as text[]), :at) "
                                        + "returning id",
                                Long.class)
                        .setParameter("org", orgId)
                        .setParameter("env", environment)
                        .setParameter("name", name)
                        .setParameter("version", version)
                        .setParameter("action", action.wire())
                        .setParameter("tags", tags == null ? new String[0] : tags)
                        .setParameter("at", Times.now())
                        .getSingleResult()
                        .chain(id -> Publish.inTransaction(session, CHANNEL, orgId + ":" + id)));
    }
}
