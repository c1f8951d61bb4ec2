package dev.crate.server.keys;

/** The server must not start; the message tells the operator why and what to do. */
public final class StartupRefusedException extends RuntimeException {
    public StartupRefusedException(String message) {
        super(message, null, false, false);
    }
}
