package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.Map;

/** The one place that turns a server's problem document into a typed exception with a useful line. */
public final class ErrorTable {
    private static final Map<ErrorCode, String> HINTS = new EnumMap<>(ErrorCode.class);

    static {
        HINTS.put(
                ErrorCode.UNAUTHENTICATED,
                "not logged in, or the token was refused: run 'crate login' or set CRATE_TOKEN");
        HINTS.put(
                ErrorCode.ORGANIZATION_NOT_FOUND,
                "organization not found, or not visible to you: check --org / 'crate session org show'");
        HINTS.put(ErrorCode.SECRET_NOT_FOUND, "no such secret in this environment");
        HINTS.put(ErrorCode.ENVIRONMENT_NOT_FOUND, "no such environment in this organization: see 'crate envs list'");
        HINTS.put(ErrorCode.UNSEALED_VALUE_REJECTED, "the server refused an unsealed value");
        HINTS.put(
                ErrorCode.INVALID_SEALED_VALUE,
                "the server could not open the sealed value (its transport key may have rotated; retry)");
        HINTS.put(ErrorCode.BODY_TOO_LARGE, "request too large for the server (at most 256 KiB per request)");
        HINTS.put(ErrorCode.VALUE_TOO_LARGE, "value too large: at most 64 KiB");
    }

    private ErrorTable() {}

    public static ApiException from(int status, JsonNode problem) {
        String code = text(problem, "code");
        String detail = text(problem, "detail");
        String requestId = text(problem, "request_id");
        String message = message(status, code, detail);
        if (status >= 500 && requestId != null) {
            message += " (request id " + requestId + ")";
        }
        if (status == 401) {
            return new ApiException.NotAuthenticated(status, code, message);
        }
        if (status == 403) {
            return new ApiException.Forbidden(status, code, message);
        }
        if (status == 404) {
            return new ApiException.NotFound(status, code, message);
        }
        if (status == 409) {
            return new ApiException.Conflict(status, code, message);
        }
        if (status >= 500) {
            return new ApiException.ServerError(status, code, message);
        }
        return new ApiException.InvalidRequest(status, code, message);
    }

    /**
     * An endpoint an older server does not have answers 404 {@code not_found} for the path itself: say that the server
     * lacks the feature rather than that the thing asked for is missing.
     */
    public static CliException missingEndpoint(ApiException.NotFound e, String feature) {
        if (e.code().orElse("").equals(ErrorCode.NOT_FOUND.code())) {
            return new CliException(
                    "this server does not manage " + feature + " yet (no such endpoint); upgrade the server");
        }
        return e;
    }

    private static String message(int status, String code, String detail) {
        ErrorCode known = code == null ? null : ErrorCode.fromCode(code).orElse(null);
        if (known == ErrorCode.FORBIDDEN || known == null && status == 403) {
            return Permissions.denied(detail);
        }
        String hint = known == null ? null : HINTS.get(known);
        if (hint != null) {
            return hint;
        }
        String title = known != null ? known.title() : "server answered HTTP " + status;
        return detail == null || detail.isBlank() ? title.toLowerCase() : title.toLowerCase() + ": " + detail;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
