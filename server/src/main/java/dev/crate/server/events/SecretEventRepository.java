package dev.crate.server.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads of {@code secret_events} on the reactive pool, outside any Hibernate session: the streams read from
 * notification handlers and timers, where no request context exists.
 */
@ApplicationScoped
public class SecretEventRepository {
    static final int PAGE = 500;
    private final Pool pool;

    SecretEventRepository(Pool pool) {
        this.pool = pool;
    }

    /** Events of the org after {@code afterId}, oldest first, at most {@link #PAGE}. */
    Uni<List<SecretEvent>> after(UUID orgId, long afterId) {
        return pool.preparedQuery("select id, org_id, environment, name, version, action, tags, at from secret_events "
                        + "where org_id = $1 and id > $2 order by id limit " + PAGE)
                .execute(Tuple.of(orgId, afterId))
                .map(rows -> {
                    List<SecretEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(event(row));
                    }
                    return events;
                });
    }

    /** The org's newest event id (0: none kept). Later changes of the org get higher ids (they commit in order). */
    Uni<Long> newest(UUID orgId) {
        return pool.preparedQuery("select coalesce(max(id), 0) from secret_events where org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The highest event id retention deleted, and the highest id ever kept: a resume point must lie between. */
    Uni<long[]> bounds() {
        return pool.query("select h.deleted_up_to, greatest(h.deleted_up_to, coalesce((select max(id) from "
                        + "secret_events), 0)) from secret_event_horizon h")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new long[] {row.getLong(0), row.getLong(1)};
                });
    }

    /** Whether the org has this environment. */
    Uni<Boolean> environmentExists(UUID orgId, String environment) {
        return pool.preparedQuery("select 1 from environments where org_id = $1 and name = $2")
                .execute(Tuple.of(orgId, environment))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Deletes events older than {@code cutoff} and moves the horizon past them, one replica at a time (a
     * transaction-scoped advisory lock); how many were deleted.
     */
    Uni<Integer> deleteBefore(OffsetDateTime cutoff) {
        return pool.withTransaction(connection -> connection
                .query("select pg_try_advisory_xact_lock(" + RETENTION_LOCK + ")")
                .execute()
                .chain(locked -> !locked.iterator().next().getBoolean(0)
                        ? Uni.createFrom().item(0)
                        : connection
                                .preparedQuery(
                                        "with gone as (delete from secret_events where at < $1 returning id) "
                                                + "update secret_event_horizon set deleted_up_to = greatest(deleted_up_to, "
                                                + "coalesce((select max(id) from gone), 0)) returning (select count(*) from gone)")
                                .execute(Tuple.of(cutoff))
                                .map(rows ->
                                        (int) rows.iterator().next().getLong(0).longValue())));
    }

    private static final long RETENTION_LOCK = 0x63726174_65657674L; // "crateevt"

    private static SecretEvent event(Row row) {
        String[] tags = row.getArrayOfStrings("tags");
        return new SecretEvent(
                row.getLong("id"),
                row.getUUID("org_id"),
                row.getString("environment"),
                row.getString("name"),
                row.getInteger("version"),
                row.getString("action"),
                tags == null ? List.of() : List.copyOf(Arrays.asList(tags)),
                row.getOffsetDateTime("at"));
    }
}
