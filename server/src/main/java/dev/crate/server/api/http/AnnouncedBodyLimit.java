package dev.crate.server.api.http;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Right after {@link RequestIds}: refuses a body whose {@code Content-Length} announces more than the
 * 256 KiB limit before any of it is read, with the {@code body_too_large} problem, and closes the
 * connection after the answer (see {@link BodyLimit#closeAfterAnswer}). Bodies without a length are
 * counted while they are read, by {@link BodyLimit}.
 */
@ApplicationScoped
public class AnnouncedBodyLimit {

    void register(@Observes Filters filters) {
        filters.register(this::handle, RequestIds.PRIORITY - 1);
    }

    private void handle(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            BodyLimit.closeAfterAnswer(context);
            context.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Json.encode(Problem.of(
                            ErrorCode.BODY_TOO_LARGE,
                            "request bodies are limited to 256 KiB",
                            context.get(RequestIds.KEY))));
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
