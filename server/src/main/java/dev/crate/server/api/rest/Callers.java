package dev.crate.server.api.rest;

import dev.crate.server.api.http.RequestIds;
import dev.crate.server.domain.Caller;
import dev.crate.server.identity.ApiKeyIdentityProvider;
import io.quarkus.arc.Arc;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** The {@link Caller} behind an authenticated request, with the request's {@link Caller.Origin}. */
final class Callers {
    private Callers() {}

    static Caller of(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller.withOrigin(origin());
    }

    /**
     * Client address (as Quarkus resolved it: forwarded headers count only when
     * {@code quarkus.http.proxy.*} trusts them), user agent and the request id of {@link RequestIds}.
     */
    static Caller.Origin origin() {
        var current = Arc.container().instance(CurrentVertxRequest.class);
        RoutingContext context = current.isAvailable() ? current.get().getCurrent() : null;
        if (context == null) {
            return Caller.Origin.NONE;
        }
        SocketAddress remote = context.request().remoteAddress();
        return new Caller.Origin(
                remote == null ? null : remote.hostAddress(),
                context.request().getHeader("User-Agent"),
                context.get(RequestIds.KEY));
    }
}
