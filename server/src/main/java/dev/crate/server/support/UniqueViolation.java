package dev.crate.server.support;

import io.vertx.pgclient.PgException;

/**
 * PostgreSQL's {@code unique_violation} (SQLSTATE 23505), however deeply Hibernate wraps the driver's
 * error. A create that checked for an existing row can still lose a race to a concurrent one; the
 * unique index decides, and this tells that answer from a real failure.
 */
public final class UniqueViolation {
    private static final String SQLSTATE = "23505";

    private UniqueViolation() {}

    public static boolean in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg && SQLSTATE.equals(pg.getSqlState())) {
                return true;
            }
            if (cause instanceof java.sql.SQLException sql && SQLSTATE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
