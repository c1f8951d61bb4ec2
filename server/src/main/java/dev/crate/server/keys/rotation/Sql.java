package dev.crate.server.keys.rotation;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Blocking helpers over the reactive SQL client, for the rotation jobs (which run on worker threads). */
final class Sql {
    static final Duration AWAIT = Duration.ofMinutes(2);

    private Sql() {}

    /** Runs {@code work} on a connection of its own, closed afterwards. */
    static <T> T withConnection(Pool pool, Function<SqlConnection, T> work) {
        SqlConnection conn = pool.getConnection().await().atMost(AWAIT);
        try {
            return work.apply(conn);
        } finally {
            conn.close().await().atMost(AWAIT);
        }
    }

    static <T> Optional<T> inTransaction(Pool pool, Function<SqlConnection, Optional<T>> work) {
        return withConnection(pool, conn -> inTransaction(conn, work));
    }

    static <T> Optional<T> inTransaction(SqlConnection conn, Function<SqlConnection, Optional<T>> work) {
        Transaction tx = conn.begin().await().atMost(AWAIT);
        Optional<T> result;
        try {
            result = work.apply(conn);
        } catch (RuntimeException | Error e) {
            try {
                tx.rollback().await().atMost(AWAIT);
            } catch (RuntimeException ignored) {
                // the connection is gone; the server rolls back
            }
            throw e;
        }
        tx.commit().await().atMost(AWAIT);
        return result;
    }

    static RowSet<Row> run(SqlConnection conn, String sql, Tuple args) {
        return conn.preparedQuery(sql).execute(args).await().atMost(AWAIT);
    }

    static List<Row> all(SqlConnection conn, String sql, Tuple args) {
        List<Row> rows = new ArrayList<>();
        run(conn, sql, args).forEach(rows::add);
        return rows;
    }

    static Row oneOrNull(SqlConnection conn, String sql, Tuple args) {
        var it = run(conn, sql, args).iterator();
        return it.hasNext() ? it.next() : null;
    }

    static Row one(SqlConnection conn, String sql, Tuple args) {
        Row row = oneOrNull(conn, sql, args);
        if (row == null) {
            throw new IllegalStateException("expected a row");
        }
        return row;
    }

    static io.vertx.core.buffer.Buffer buffer(byte[] bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes);
    }

    static byte[] bytes(Row row, String column) {
        return row.getDelegate().getBuffer(column).getBytes();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
