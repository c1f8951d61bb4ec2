package dev.crate.server.crypto.aead;

/** Authenticated decryption failed. Deliberately carries no detail: which check failed is nobody's business. */
public final class DecryptionException extends RuntimeException {
    public DecryptionException() {
        super("authenticated decryption failed", null, false, false);
    }
}
