package dev.crate.server.api.error;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.Problem;
import dev.crate.server.log.LogId;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * First in every request: gives it an id (a sane incoming {@code X-Request-Id} is kept), echoes it in
 * the response, and refuses bodies announced larger than the limit before reading them.
 */
@ApplicationScoped
public class RequestIds {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RequestIds.class);
    public static final String KEY = "crate.request-id";
    private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");

    void register(@Observes Filters filters) {
        filters.register(this::handle, 1000);
    }

    /**
     * The safety net below every route: whatever fails outside the REST layer's own mapper still
     * answers problem+json, never an error page with internals.
     */
    void failures(@Observes io.vertx.ext.web.Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.response().headWritten()) {
                context.next();
                return;
            }
            int status = context.statusCode() > 0 ? context.statusCode() : 500;
            ErrorCode code = switch (status) {
                case 400 -> ErrorCode.MALFORMED_REQUEST;
                case 401 -> ErrorCode.UNAUTHENTICATED;
                case 403 -> ErrorCode.FORBIDDEN;
                case 404 -> ErrorCode.NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                case 413 -> ErrorCode.BODY_TOO_LARGE;
                default -> ErrorCode.INTERNAL_ERROR;
            };
            String id = context.get(KEY);
            if (code == ErrorCode.INTERNAL_ERROR) {
                LogId.UNHANDLED_REQUEST_FAILURE.logWithCause(LOG, context.failure(), id);
            }
            context.response().setStatusCode(code.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Json.encode(Problem.of(code, code == ErrorCode.INTERNAL_ERROR
                            ? "an internal error occurred; quote the request id when reporting it" : code.title(), id)));
        });
    }

    private void handle(RoutingContext context) {
        String incoming = context.request().getHeader("X-Request-Id");
        String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        context.put(KEY, id);
        context.response().putHeader("X-Request-Id", id);
        // Answers may carry keys shown once; no cache along the way may keep any of them.
        context.response().putHeader("Cache-Control", "no-store");
        String length = context.request().getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            BodyLimit.closeAfterAnswer(context);
            context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Json.encode(Problem.of(ErrorCode.BODY_TOO_LARGE, "request bodies are limited to 256 KiB", id)));
            return;
        }
        context.next();
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > Limits.MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
