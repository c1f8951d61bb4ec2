package dev.crate.server.api.rest;

import dev.crate.server.auth.ApiKeyIdentityProvider;
import dev.crate.server.domain.Caller;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The {@link Caller} behind an authenticated request. */
final class Callers {
    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller;
    }
}
