package dev.crate.server.api.grpc;

import dev.crate.server.domain.Caller;
import dev.crate.server.identity.ApiKeyIdentityProvider;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.AuthFailure;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@link Caller} behind a gRPC call: the one place gRPC services get it, as REST resources get
 * theirs from {@code api/rest/Callers}. The bearer token in the {@code authorization} metadata went
 * through the same HTTP authentication mechanisms as a REST request (API keys, then OIDC); an
 * anonymous call fails with UNAUTHENTICATED. The caller carries the call's origin
 * ({@link GrpcOrigins#current()}: peer, user agent, request id) for the audit trail.
 */
@ApplicationScoped
public class GrpcCallers {
    private final CurrentIdentityAssociation identities;
    private final CrateMetrics metrics;

    GrpcCallers(CurrentIdentityAssociation identities, CrateMetrics metrics) {
        this.identities = identities;
        this.metrics = metrics;
    }

    /** Must be called while the service method runs (it reads the call's context). */
    public Uni<Caller> current() {
        boolean presented = GrpcOrigins.credentialPresented();
        GrpcOrigin origin = GrpcOrigins.current();
        return identities.getDeferredIdentity().map(identity -> {
            Caller caller = identity.getAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE);
            if (caller == null) {
                // A presented but unusable key was already counted, by kind, where it was looked up.
                if (!presented) {
                    metrics.authFailure(AuthFailure.MISSING_CREDENTIAL);
                }
                throw new UnauthorizedException();
            }
            // The same origin a REST request carries, so the audit trail records gRPC calls alike.
            return caller.withOrigin(new Caller.Origin(origin.clientIp(), origin.userAgent(), origin.requestId()));
        });
    }

    /** Where the current call comes from. */
    public GrpcOrigin origin() {
        return GrpcOrigins.current();
    }
}
