package dev.crate.server.domain;

import dev.crate.protocol.ErrorCode;

/**
 * A failure a client can cause or must be told about. Carries a stable {@link ErrorCode} and a
 * detail written for the client: never a value, token or key, never an internal message.
 */
public class CrateException extends RuntimeException {
    private final ErrorCode code;

    public CrateException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public static CrateException notFound(ErrorCode code, String detail) {
        return new CrateException(code, detail);
    }
}
