package dev.crate.server.embedded;

/**
 * The embedded PostgreSQL could not be started (or prepared).
 *
 * <p>The message is meant for the person running Crate: one paragraph saying what failed, why, and what
 * to do about it. It never contains a stack trace; the technical cause, if any, is kept as {@link #getCause()}.
 */
public final class EmbeddedDatabaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedDatabaseException(String message) {
        super(message);
    }

    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
