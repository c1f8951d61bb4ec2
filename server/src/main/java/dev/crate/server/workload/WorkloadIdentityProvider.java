package dev.crate.server.workload;

import dev.crate.server.domain.ApiKeyScope;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.identity.ApiKeyIdentityProvider;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.AuthFailure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a workload token to a {@link Caller} with its binding's scope as stored now: every request reads
 * the token's row and its binding's, so a deleted binding (its tokens go with it) or a narrowed one counts
 * from the next request, on every replica: its scope, and its {@code token_ttl_seconds} counted from the
 * exchange. (Changed matching rules delete the binding's tokens: {@link WorkloadIdentityService#update}.)
 * No cache, on purpose.
 */
@ApplicationScoped
public class WorkloadIdentityProvider implements IdentityProvider<WorkloadAuthenticationRequest> {
    private final WorkloadTokenRepository tokens;
    private final WorkloadIdentityRepository bindings;
    private final CrateMetrics metrics;

    WorkloadIdentityProvider(
            WorkloadTokenRepository tokens, WorkloadIdentityRepository bindings, CrateMetrics metrics) {
        this.tokens = tokens;
        this.bindings = bindings;
        this.metrics = metrics;
    }

    @Override
    public Class<WorkloadAuthenticationRequest> getRequestType() {
        return WorkloadAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            WorkloadAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!WorkloadTokenFormat.wellFormed(request.token())) {
            return refuse(AuthFailure.UNKNOWN_KEY);
        }
        byte[] hash = WorkloadTokenFormat.hash(request.token());
        return Panache.withSession(() -> tokens.findByHash(hash).chain(token -> {
            if (token == null || !MessageDigest.isEqual(token.tokenHash, hash)) {
                return refuse(AuthFailure.UNKNOWN_KEY);
            }
            if (!token.expiresAt.isAfter(OffsetDateTime.now())) {
                return refuse(AuthFailure.EXPIRED_KEY);
            }
            return bindings.findById(token.bindingId).chain(binding -> {
                if (binding == null) {
                    return refuse(AuthFailure.REVOKED_KEY);
                }
                // a lifetime shortened since the exchange counts for the tokens already issued too
                if (!token.createdAt.plusSeconds(binding.tokenTtlSeconds).isAfter(OffsetDateTime.now())) {
                    return refuse(AuthFailure.EXPIRED_KEY);
                }
                return Uni.createFrom().item(identity(binding, token.subject));
            });
        }));
    }

    private Uni<SecurityIdentity> refuse(AuthFailure failure) {
        metrics.authFailure(failure);
        return Uni.createFrom().failure(new AuthenticationFailedException());
    }

    static ApiKeyScope scope(WorkloadIdentityRecord binding) {
        return new ApiKeyScope(
                binding.id,
                binding.name,
                binding.orgId,
                Role.parse(binding.role),
                Grants.fromStored(binding.grants),
                binding.environments == null ? Optional.empty() : Optional.of(Set.of(binding.environments)),
                binding.tags == null ? Optional.empty() : Optional.of(Set.of(binding.tags)),
                binding.readOnly);
    }

    private static SecurityIdentity identity(WorkloadIdentityRecord binding, String subject) {
        ApiKeyScope scope = scope(binding);
        Caller caller = Caller.workload(scope, subject);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.actor()))
                .addRole(scope.role().wire())
                .addAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE, caller)
                .build();
    }
}
