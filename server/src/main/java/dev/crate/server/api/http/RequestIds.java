package dev.crate.server.api.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * First in every request: gives it an id (a sane incoming {@code X-Request-Id} is kept) and echoes it in
 * the response. {@link AnnouncedBodyLimit} runs right after it.
 */
@ApplicationScoped
public class RequestIds {
    public static final String KEY = "crate.request-id";
    /** Where this filter runs among the HTTP filters (the highest runs first). */
    static final int PRIORITY = 1000;

    private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private void handle(RoutingContext context) {
        String incoming = context.request().getHeader("X-Request-Id");
        String id = incoming != null && SANE.matcher(incoming).matches()
                ? incoming
                : UUID.randomUUID().toString();
        context.put(KEY, id);
        context.response().putHeader("X-Request-Id", id);
        // Answers may carry keys shown once; no cache along the way may keep any of them.
        context.response().putHeader("Cache-Control", "no-store");
        if (context.request().getHeader("Authorization") != null
                && !context.request().path().startsWith("/q/")) {
            context.addEndHandler(ended -> {
                int status = context.response().getStatusCode();
                String type = context.response().headers().get("Content-Type");
                if (status >= 200 && status < 300 && (type == null || !type.startsWith("application/grpc"))) {
                    // an authenticated REST answer read the caller's row: the database served it (readiness)
                    dev.crate.server.support.DatabaseServed.mark();
                }
            });
        }
        context.next();
    }
}
