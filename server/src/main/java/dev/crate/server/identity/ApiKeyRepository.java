package dev.crate.server.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** API keys (hashes only). */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyRecord, UUID> {

    public Uni<ApiKeyRecord> findByHash(byte[] hash) {
        return find("keyHash", hash).firstResult();
    }

    public Uni<List<ApiKeyRecord>> listActive(UUID orgId) {
        return list("orgId = ?1 and revokedAt is null order by createdAt", orgId);
    }

    public Uni<ApiKeyRecord> findActive(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2 and revokedAt is null", orgId, id).firstResult();
    }

    /**
     * Admin keys of the org, other than {@code except}, that can administer it for good: not revoked,
     * not expiring, not read-only, not restricted to environments or tags.
     */
    public Uni<Long> countOtherUsableAdmins(UUID orgId, UUID except) {
        return count(
                "orgId = ?1 and id <> ?2 and role = 'admin' and revokedAt is null and expiresAt is null "
                        + "and readOnly = false and environments is null and tags is null",
                orgId,
                except);
    }

    /** Records use at most once a minute per key, so authentication stays a read. */
    public Uni<Integer> touch(UUID id) {
        return update(
                "lastUsedAt = current_timestamp where id = ?1 and " + "(lastUsedAt is null or lastUsedAt < ?2)",
                id,
                java.time.OffsetDateTime.now().minusMinutes(1));
    }
}
