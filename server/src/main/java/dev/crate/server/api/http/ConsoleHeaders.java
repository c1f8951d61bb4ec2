package dev.crate.server.api.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The web console's response headers (docs/CONSOLE.md, section 3): a strict Content-Security-Policy
 * (scripts and styles from this origin only, no inline code, no frames), no referrer, no sniffing, and
 * revalidation of every file. {@code /ui} redirects to {@code /ui/}. The only other origin the console
 * may talk to is the identity provider's (its token endpoint), taken from {@code crate.oidc.issuer}
 * and {@code crate.console.connect-src}.
 */
@ApplicationScoped
public class ConsoleHeaders {
    /** Runs after {@link RequestIds} (whose Cache-Control it replaces for the console's files). */
    static final int PRIORITY = RequestIds.PRIORITY - 10;

    private final String policy;

    ConsoleHeaders(
            @ConfigProperty(name = "crate.oidc.issuer") Optional<String> issuer,
            @ConfigProperty(name = "crate.console.connect-src") Optional<String> extra) {
        this.policy = policy(issuer, extra);
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    /** The policy for an issuer URL and extra sources (space- or comma-separated origins). */
    static String policy(Optional<String> issuer, Optional<String> extra) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        issuer.flatMap(ConsoleHeaders::origin).ifPresent(connect::add);
        extra.ifPresent(list -> {
            for (String item : list.split("[,\\s]+")) {
                origin(item).ifPresent(connect::add);
            }
        });
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src "
                + String.join(" ", connect)
                + "; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }

    /** scheme://host[:port] of an http(s) URL, else nothing (a malformed setting adds no source). */
    static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void handle(RoutingContext context) {
        String path = context.request().path();
        if (path == null || !(path.equals("/ui") || path.startsWith("/ui/"))) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response();
        if (path.equals("/ui")
                && (context.request().method() == HttpMethod.GET
                        || context.request().method() == HttpMethod.HEAD)) {
            apply(response);
            response.setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/ui/").end();
            return;
        }
        context.addHeadersEndHandler(ignored -> apply(response));
        context.next();
    }

    private void apply(HttpServerResponse response) {
        var headers = response.headers();
        headers.set("Content-Security-Policy", policy);
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        // Small files, always revalidated: a new server version is picked up at once, nothing is stored.
        headers.set("Cache-Control", "no-cache");
        headers.remove("Expires");
    }
}
