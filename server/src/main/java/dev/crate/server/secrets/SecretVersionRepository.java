package dev.crate.server.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Encrypted secret versions. */
@ApplicationScoped
public class SecretVersionRepository implements PanacheRepositoryBase<SecretVersionRecord, UUID> {

    /** A specific version of a secret. */
    public record Wanted(UUID secretId, int version) {}

    /** The rows of the wanted versions that exist (pruned ones do not). */
    public Uni<List<SecretVersionRecord>> specific(List<Wanted> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        java.util.Set<Wanted> set = java.util.Set.copyOf(wanted);
        return list(
                        "secretId in ?1 and version in ?2",
                        wanted.stream().map(Wanted::secretId).distinct().toList(),
                        wanted.stream().map(Wanted::version).distinct().toList())
                .map(rows -> rows.stream()
                        .filter(r -> set.contains(new Wanted(r.secretId, r.version)))
                        .toList());
    }

    /** Every kept version of a secret, newest first. */
    public Uni<List<SecretVersionRecord>> history(UUID secretId) {
        return list("secretId = ?1 order by version desc", secretId);
    }

    public Uni<SecretVersionRecord> findVersion(UUID secretId, int version) {
        return find("secretId = ?1 and version = ?2", secretId, version).firstResult();
    }

    /** Crypto-shred: every version's wrapped data key is gone for good; returns how many were destroyed. */
    public Uni<Integer> destroyAll(UUID secretId, java.time.OffsetDateTime now) {
        return update(
                "wrappedDataKey = null, destroyedAt = ?2 where secretId = ?1 and wrappedDataKey is not null",
                secretId,
                now);
    }

    /** The current version rows of the given secrets. */
    public Uni<List<SecretVersionRecord>> currentOf(List<UUID> secretIds) {
        if (secretIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(
                "from SecretVersionRecord v where v.secretId in ?1 and v.version = "
                        + "(select s.currentVersion from SecretRecord s where s.id = v.secretId)",
                secretIds);
    }
}
