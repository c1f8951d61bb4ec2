package dev.crate.server.notify;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Sends a notification inside the writer's transaction: {@code pg_notify} on the transaction's own
 * connection, so PostgreSQL delivers it when (and only if) that transaction commits, after the rows it
 * announces are visible. A payload carries ids only, never a value: every listener of the channel, on
 * every replica, receives it.
 */
public final class Publish {
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    private static final int MAX_PAYLOAD_BYTES = 7999;

    private Publish() {}

    /** On the Hibernate Reactive session of the current transaction (inside {@code Panache.withTransaction}). */
    public static Uni<Void> inTransaction(Mutiny.Session session, String channel, String payload) {
        check(channel, payload);
        return session.createNativeQuery("select 1 from pg_notify(:channel, :payload)", Integer.class)
                .setParameter("channel", channel)
                .setParameter("payload", payload)
                .getSingleResult()
                .replaceWithVoid();
    }

    /** On a Vert.x SQL connection that is inside a transaction (or alone: then it is sent at once). */
    public static Uni<Void> inTransaction(SqlClient connection, String channel, String payload) {
        check(channel, payload);
        return connection
                .preparedQuery("select pg_notify($1, $2)")
                .execute(Tuple.of(channel, payload))
                .replaceWithVoid();
    }

    /** Several notifications on one channel in one statement, sent in this order when the transaction commits. */
    public static Uni<Void> inTransaction(SqlClient connection, String channel, List<String> payloads) {
        payloads.forEach(p -> check(channel, p));
        return connection
                .preparedQuery("select pg_notify($1, p) from unnest(cast($2 as text[])) as p")
                .execute(Tuple.of(channel, payloads.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Channel names are plain lower-case identifiers, so {@code LISTEN} needs no quoting. */
    static String checkChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("a channel name is [a-z][a-z0-9_]{0,62}");
        }
        return channel;
    }

    private static void check(String channel, String payload) {
        checkChannel(channel);
        if (payload == null || payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a notification payload is 0 to 7999 bytes (ids, never values)");
        }
    }
}
