package dev.crate.server.crypto.sealing;

/** A JWE names a transport key of the org whose grace period is over. */
public final class StaleTransportKeyException extends RuntimeException {
    public StaleTransportKeyException() {
        super("the transport key this value was sealed to is disabled", null, false, false);
    }
}
