package dev.crate.server.crypto.rootkey;

/** A wrapped org key names a root key (kid) the configured provider does not hold. */
public final class UnknownRootKeyException extends RuntimeException {
    private final String kid;

    public UnknownRootKeyException(String kid) {
        super("root key '" + kid + "' is not configured", null, false, false);
        this.kid = kid;
    }

    public String kid() {
        return kid;
    }
}
