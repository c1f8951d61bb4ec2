package dev.crate.server.workload;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer crate_wl_...} (REST and gRPC alike); the lookup is
 * {@link WorkloadIdentityProvider}'s. Runs before the API-key mechanism, and leaves every other token to it.
 */
@ApplicationScoped
public class WorkloadAuthenticationMechanism implements HttpAuthenticationMechanism {
    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        String token = header.substring(BEARER.length()).trim();
        if (!token.startsWith(WorkloadTokenFormat.PREFIX)) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new WorkloadAuthenticationRequest(token), context));
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1001;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"crate\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(WorkloadAuthenticationRequest.class);
    }
}
