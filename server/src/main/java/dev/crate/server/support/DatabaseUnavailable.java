package dev.crate.server.support;

import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * The database cannot serve right now, however deeply Hibernate or Mutiny wrap the driver's error:
 * connection refused or closed, no pool connection within {@code crate.db.connect-wait}, too many
 * connections (53300, a role's or database's {@code CONNECTION LIMIT}), shutdown or start-up
 * (57P01, 57P02, 57P03), a statement cut by {@code crate.db.statement-timeout} (57014), a read-only
 * standby (25006), out of disk or memory (class 53), the connection classes 08, a statement on a
 * connection PostgreSQL has closed. Not the client's
 * doing: the API answers 503 {@code service_unavailable} with {@code Retry-After}
 * (docs/OPERATIONS.md, section 2).
 */
public final class DatabaseUnavailable {
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "57014", "55P03", "25006");
    private static final String POOL_TIMEOUT = "Timeout waiting for connection";
    /**
     * What the driver fails a statement with when PostgreSQL closed its connection (a terminated
     * backend, a restart) and no server error came with the close: sent after the close, or queued
     * behind the statement that was in flight. Vert.x gives these no type of their own.
     */
    private static final java.util.List<String> CONNECTION_CLOSED = java.util.List.of(
            "Connection is not active now", "Pending requests failed to be sent due to connection has been closed");

    private DatabaseUnavailable() {}

    public static boolean in(Throwable failure) {
        return reason(failure) != null;
    }

    /** A short name of the reason (an exception type or a SQLSTATE, never a message with data), or null. */
    public static String reason(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure;
                cause != null && depth < 32;
                cause = cause.getCause() == cause ? null : cause.getCause(), depth++) {
            if (cause instanceof PgException pg && unavailable(pg.getSqlState())) {
                return "SQLSTATE " + pg.getSqlState();
            }
            if (cause instanceof java.sql.SQLException sql && unavailable(sql.getSQLState())) {
                return "SQLSTATE " + sql.getSQLState();
            }
            if (cause instanceof java.net.ConnectException
                    || cause instanceof java.nio.channels.ClosedChannelException
                    || cause instanceof io.vertx.sqlclient.ClosedConnectionException
                    || cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return cause.getClass().getSimpleName();
            }
            if (cause instanceof io.vertx.core.VertxException
                    && cause.getMessage() != null
                    && cause.getMessage().startsWith(POOL_TIMEOUT)) {
                return "no database connection in time";
            }
            if ((cause instanceof io.vertx.core.VertxException
                            || cause instanceof io.vertx.core.impl.NoStackTraceThrowable)
                    && cause.getMessage() != null
                    && CONNECTION_CLOSED.stream().anyMatch(cause.getMessage()::startsWith)) {
                return "connection closed by the database";
            }
            if (cause instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(cause.getMessage())) {
                // what the pool fails a waiter with after crate.db.connect-wait (its connection timeout)
                return "no database connection in time";
            }
        }
        return null;
    }

    private static boolean unavailable(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || STATES.contains(state));
    }
}
