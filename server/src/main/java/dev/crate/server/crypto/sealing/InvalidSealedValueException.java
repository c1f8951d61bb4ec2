package dev.crate.server.crypto.sealing;

/** A sealed value could not be opened. One type, no detail, whatever the cause: no oracle. */
public final class InvalidSealedValueException extends RuntimeException {
    public InvalidSealedValueException() {
        super("sealed value cannot be opened", null, false, false);
    }
}
