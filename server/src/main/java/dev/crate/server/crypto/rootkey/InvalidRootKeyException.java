package dev.crate.server.crypto.rootkey;

/** The configured root key is unusable (malformed, wrong size, unreadable). The message says why, never the key. */
public final class InvalidRootKeyException extends RuntimeException {
    public InvalidRootKeyException(String message) {
        super(message, null, false, false);
    }
}
