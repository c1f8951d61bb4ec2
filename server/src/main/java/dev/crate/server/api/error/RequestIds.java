package dev.crate.server.api.error;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.Problem;
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
    public static final String KEY = "crate.request-id";
    private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");

    void register(@Observes Filters filters) {
        filters.register(this::handle, 1000);
    }

    private void handle(RoutingContext context) {
        String incoming = context.request().getHeader("X-Request-Id");
        String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        context.put(KEY, id);
        context.response().putHeader("X-Request-Id", id);
        String length = context.request().getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
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
