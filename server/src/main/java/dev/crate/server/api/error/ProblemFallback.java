package dev.crate.server.api.error;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Problem;
import dev.crate.server.api.http.RequestIds;
import dev.crate.server.log.LogId;
import io.vertx.core.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** The problem+json answer for failures no mapper handled. */
@ApplicationScoped
public class ProblemFallback {
    private static final Logger LOG = Logger.getLogger(ProblemFallback.class);

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
            if (DatabaseDown.handle(context.failure(), context.get(RequestIds.KEY))) {
                context.response()
                        .setStatusCode(503)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Retry-After", DatabaseDown.RETRY_AFTER_SECONDS)
                        .end(Json.encode(Problem.of(
                                ErrorCode.SERVICE_UNAVAILABLE, DatabaseDown.DETAIL, context.get(RequestIds.KEY))));
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
            String id = context.get(RequestIds.KEY);
            if (code == ErrorCode.INTERNAL_ERROR) {
                LogId.UNHANDLED_REQUEST_FAILURE.logWithCause(LOG, context.failure(), id);
            }
            context.response()
                    .setStatusCode(code.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Json.encode(Problem.of(
                            code,
                            code == ErrorCode.INTERNAL_ERROR
                                    ? "an internal error occurred; quote the request id when reporting it"
                                    : code.title(),
                            id)));
        });
    }
}
