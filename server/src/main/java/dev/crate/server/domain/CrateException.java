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

    /** 429 {@code rate_limited}: the client may try again after {@code retryAfterSeconds}. */
    public static CrateException rateLimited(String detail, long retryAfterSeconds) {
        return new RateLimited(detail, retryAfterSeconds);
    }

    /** Seconds the client should wait before trying again, for the {@code Retry-After} header; 0 when not said. */
    public long retryAfterSeconds() {
        return 0;
    }

    private static final class RateLimited extends CrateException {
        private final long retryAfter;

        RateLimited(String detail, long retryAfter) {
            super(ErrorCode.RATE_LIMITED, detail);
            this.retryAfter = Math.max(1, retryAfter);
        }

        @Override
        public long retryAfterSeconds() {
            return retryAfter;
        }
    }

    public static CrateException notFound(ErrorCode code, String detail) {
        return new CrateException(code, detail);
    }
}
