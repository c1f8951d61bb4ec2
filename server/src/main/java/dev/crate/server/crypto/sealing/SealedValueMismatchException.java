package dev.crate.server.crypto.sealing;

/**
 * A sealed value names another destination than the request's (a JWE whose {@code crate_*} claims differ),
 * or carries no destination where the org refuses unbound values. Nothing was decrypted.
 */
public final class SealedValueMismatchException extends RuntimeException {
    private final boolean unbound;

    public SealedValueMismatchException(boolean unbound) {
        super(
                unbound ? "sealed value is not bound to a destination" : "sealed value is bound to another destination",
                null,
                false,
                false);
        this.unbound = unbound;
    }

    /** True: the value names no destination at all; false: it names another one. */
    public boolean unbound() {
        return unbound;
    }
}
