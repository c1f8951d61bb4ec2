package dev.crate.server.keys;

/** An org key version was retired (re-wrapped away and destroyed) after a row naming it was read: read again. */
public final class RetiredOrgKeyException extends RuntimeException {
    public RetiredOrgKeyException() {
        super("org key version retired while in use; retry", null, false, false);
    }
}
