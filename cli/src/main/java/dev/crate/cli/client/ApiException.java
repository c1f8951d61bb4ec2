package dev.crate.cli.client;

import java.util.Optional;

/** The server answered with a problem document; {@link #code()} is its stable error code. */
public class ApiException extends CliException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** 401: no credentials, or the server does not accept them. */
    public static final class NotAuthenticated extends ApiException {
        public NotAuthenticated(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /** 403: authenticated, but the role or grants are not enough. */
    public static final class Forbidden extends ApiException {
        public Forbidden(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /** 404: no such organization, secret, environment, key or endpoint. */
    public static final class NotFound extends ApiException {
        public NotFound(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /** 409: the change conflicts with what exists. */
    public static final class Conflict extends ApiException {
        public Conflict(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /** 400, 413 and other refusals of the request's content. */
    public static final class InvalidRequest extends ApiException {
        public InvalidRequest(int status, String code, String message) {
            super(status, code, message);
        }
    }

    /** 5xx: the server failed; quote the request id when reporting it. */
    public static final class ServerError extends ApiException {
        public ServerError(int status, String code, String message) {
            super(status, code, message);
        }
    }
}
