package dev.crate.server.crypto.sealing;

/** A retrieve request's client key is unusable; {@link #weak()} tells a too-small key from a malformed one. */
public final class ClientKeyException extends RuntimeException {
    private final boolean weak;

    public ClientKeyException(String message, boolean weak) {
        super(message, null, false, false);
        this.weak = weak;
    }

    public boolean weak() {
        return weak;
    }
}
