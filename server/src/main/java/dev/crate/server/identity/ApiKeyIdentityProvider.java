package dev.crate.server.identity;

import dev.crate.server.domain.ApiKeyScope;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
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
 * Resolves an API key to a {@link Caller}. Every request reads the key's row, so a revocation is
 * effective on the next request. Lookup is by SHA-256 (an unknown key and a wrong one are the same
 * case: no row), and the stored hash is compared in constant time.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {
    public static final String CALLER_ATTRIBUTE = "crate.caller";
    private final ApiKeyRepository keys;
    private final CrateMetrics metrics;

    ApiKeyIdentityProvider(ApiKeyRepository keys, CrateMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] hash = ApiKeyFormat.hash(request.token());
        return Panache.withSession(() -> keys.findByHash(hash).chain(record -> {
            AuthFailure failure = failure(record, hash);
            if (failure != null) {
                metrics.authFailure(failure);
                return Uni.createFrom().failure(new AuthenticationFailedException());
            }
            if (record.lastUsedAt != null
                    && record.lastUsedAt.isAfter(OffsetDateTime.now().minusMinutes(1))) {
                // used within the last minute: the row just read says so, no write needed on this request
                return Uni.createFrom().item(identity(record));
            }
            return Panache.withTransaction(() -> keys.touch(record.id)).replaceWith(identity(record));
        }));
    }

    /** Why the key cannot be used, or null when it can. */
    private static AuthFailure failure(ApiKeyRecord record, byte[] hash) {
        if (record == null || !MessageDigest.isEqual(record.keyHash, hash)) {
            return AuthFailure.UNKNOWN_KEY;
        }
        if (record.revokedAt != null) {
            return AuthFailure.REVOKED_KEY;
        }
        if (record.expiresAt != null && !record.expiresAt.isAfter(OffsetDateTime.now())) {
            return AuthFailure.EXPIRED_KEY;
        }
        return null;
    }

    private static Optional<Set<String>> optionalSet(String[] values) {
        return values == null ? Optional.empty() : Optional.of(Set.of(values));
    }

    private static SecurityIdentity identity(ApiKeyRecord record) {
        Role role = Role.parse(record.role);
        Caller caller = Caller.apiKey(new ApiKeyScope(
                record.id,
                record.name,
                record.orgId,
                role,
                Grants.fromStored(record.grants),
                optionalSet(record.environments),
                optionalSet(record.tags),
                record.readOnly));
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.actor()))
                .addRole(role.wire())
                .addAttribute(CALLER_ATTRIBUTE, caller)
                .build();
    }
}
