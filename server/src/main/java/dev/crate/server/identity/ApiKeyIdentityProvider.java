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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Resolves an API key to a {@link Caller}. Lookup is by SHA-256 (an unknown key and a wrong one are the
 * same case: no row), and the stored hash is compared in constant time. A working key is then kept in
 * {@link CallerCache} under its hash; a revocation empties that entry on every replica before the next
 * request (see there). Expiry is checked on every request, cached or not.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {
    public static final String CALLER_ATTRIBUTE = "crate.caller";
    private final ApiKeyRepository keys;
    private final CrateMetrics metrics;
    private final CallerCache cache;

    ApiKeyIdentityProvider(ApiKeyRepository keys, CrateMetrics metrics, CallerCache cache) {
        this.keys = keys;
        this.metrics = metrics;
        this.cache = cache;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] hash = ApiKeyFormat.hash(request.token());
        CallerCache.CachedKey cached = cache.apiKey(hash);
        if (cached != null) {
            if (expired(cached.expiresAt())) {
                metrics.authFailure(AuthFailure.EXPIRED_KEY);
                return Uni.createFrom().failure(new AuthenticationFailedException());
            }
            return recordUse(cached).replaceWith(cached.identity());
        }
        long generation = cache.apiKeyGeneration();
        return Panache.withSession(() -> keys.findByHash(hash).chain(record -> {
            AuthFailure failure = failure(record, hash);
            if (failure != null) {
                metrics.authFailure(failure);
                return Uni.createFrom().failure(new AuthenticationFailedException());
            }
            CallerCache.CachedKey key = new CallerCache.CachedKey(
                    record.id,
                    record.orgId,
                    identity(record),
                    record.expiresAt,
                    new AtomicReference<>(record.lastUsedAt));
            cache.rememberApiKey(hash, key, generation);
            return recordUse(key).replaceWith(key.identity());
        }));
    }

    /**
     * Records use at most once a minute per key and replica, so authentication stays a read: the time
     * last recorded is kept with the key (the row's on a lookup).
     */
    private Uni<Void> recordUse(CallerCache.CachedKey key) {
        OffsetDateTime last = key.lastUsedAt().get();
        OffsetDateTime now = OffsetDateTime.now();
        if (last != null && last.isAfter(now.minusMinutes(1))
                || !key.lastUsedAt().compareAndSet(last, now)) {
            // used within the last minute, or a concurrent request of the same key records it
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> keys.touch(key.id())).replaceWithVoid();
    }

    private static boolean expired(OffsetDateTime expiresAt) {
        return expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now());
    }

    /** Why the key cannot be used, or null when it can. */
    private static AuthFailure failure(ApiKeyRecord record, byte[] hash) {
        if (record == null || !MessageDigest.isEqual(record.keyHash, hash)) {
            return AuthFailure.UNKNOWN_KEY;
        }
        if (record.revokedAt != null) {
            return AuthFailure.REVOKED_KEY;
        }
        if (expired(record.expiresAt)) {
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
