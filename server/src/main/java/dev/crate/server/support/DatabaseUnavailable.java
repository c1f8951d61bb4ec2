package dev.crate.server.support;

import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * The database cannot serve right now, however deeply Hibernate or Mutiny wrap the driver's error:
 * connection refused, reset or closed (a {@link java.net.SocketException} such as "Connection reset" when
 * PostgreSQL drops a connection in the middle of a query during a restart), no pool connection within {@code crate.db.connect-wait}, too many
 * connections (53300, a role's or database's {@code CONNECTION LIMIT}), shutdown or start-up
 * (57P01, 57P02, 57P03), a statement cut by {@code crate.db.statement-timeout} (57014), a read-only
 * standby (25006), out of disk or memory (class 53), the connection classes 08. Not the client's
 * doing: the API answers 503 {@code service_unavailable} with {@code Retry-After}
 * (docs/OPERATIONS.md, section 2).
 */
public final class DatabaseUnavailable {
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "57014", "55P03", "25006");
    private static final String POOL_TIMEOUT = "Timeout waiting for connection";
    /**
     * What Vert.x fails a command with on a connection PostgreSQL closed (a terminated backend, a
     * restart) when no server error came with the close: sent after the close, or queued behind the
     * statement that was in flight. Vert.x gives these no type of their own.
     */
    private static final java.util.List<String> CLOSED = java.util.List.of(
            "Connection is not active now", "Pending requests failed to be sent due to connection has been closed");
    /** The texts of a plain {@link java.io.IOException} on a connection the other side dropped. */
    private static final Set<String> LOST = Set.of("Broken pipe", "Connection reset by peer");

    private DatabaseUnavailable() {}

    public static boolean in(Throwable failure) {
        return reason(failure) != null;
    }

    /** A short name of the reason (an exception type or a SQLSTATE, never a message with data), or null. */
    public static String reason(Throwable failure) {
        return reason(failure, 0);
    }

    /**
     * The cause chain, and at each step its suppressed exceptions: Mutiny's {@code CompositeException} (a
     * failure, then a rollback on the same dropped connection failing too) keeps the others there.
     */
    private static String reason(Throwable failure, int level) {
        int depth = 0;
        for (Throwable cause = failure;
                cause != null && depth < 32;
                cause = cause.getCause() == cause ? null : cause.getCause(), depth++) {
            String own = own(cause);
            if (own != null) {
                return own;
            }
            if (level < 2) {
                for (Throwable suppressed : cause.getSuppressed()) {
                    String found = reason(suppressed, level + 1);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static String own(Throwable cause) {
        if (cause instanceof PgException pg && unavailable(pg.getSqlState())) {
            return "SQLSTATE " + pg.getSqlState();
        }
        if (cause instanceof java.sql.SQLException sql && unavailable(sql.getSQLState())) {
            return "SQLSTATE " + sql.getSQLState();
        }
        if (cause instanceof java.net.SocketException
                || cause instanceof java.nio.channels.ClosedChannelException
                || cause instanceof io.vertx.sqlclient.ClosedConnectionException
                || cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
            return cause.getClass().getSimpleName();
        }
        if (cause instanceof java.io.IOException && cause.getMessage() != null && LOST.contains(cause.getMessage())) {
            // what NIO's write (and a native transport's read) throws on a connection PostgreSQL dropped
            return "connection lost";
        }
        if (cause instanceof io.vertx.core.VertxException
                && cause.getMessage() != null
                && cause.getMessage().startsWith(POOL_TIMEOUT)) {
            return "no database connection in time";
        }
        if (cause instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(cause.getMessage())) {
            // what the pool fails a waiter with after crate.db.connect-wait (its connection timeout)
            return "no database connection in time";
        }
        if (cause.getMessage() != null && CLOSED.stream().anyMatch(cause.getMessage()::startsWith)) {
            // a statement (or the rollback) sent on a pool connection PostgreSQL has just closed
            return "connection closed";
        }
        return null;
    }

    private static boolean unavailable(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || STATES.contains(state));
    }
}
