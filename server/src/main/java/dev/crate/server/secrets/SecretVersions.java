package dev.crate.server.secrets;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.server.crypto.SecretCipher;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.domain.Validation;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.CallerCache;
import dev.crate.server.keys.KeyService;
import dev.crate.server.organizations.EnvironmentRepository;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What storing, retrieving and the history of a secret share: appending a version under a fresh data
 * key, loading the org key versions that version rows name, decrypting a version, the tag-scope and
 * environment checks, and the metadata a secret answers with (never a value).
 */
@ApplicationScoped
public class SecretVersions {
    private final KeyService keys;
    private final EnvironmentRepository environments;
    private final SecretVersionRepository versions;
    private final CallerCache cache;

    SecretVersions(
            KeyService keys, EnvironmentRepository environments, SecretVersionRepository versions, CallerCache cache) {
        this.keys = keys;
        this.environments = environments;
        this.versions = versions;
        this.cache = cache;
    }

    /**
     * Inside the caller's transaction, with the secret row locked: encrypts {@code plaintext} under a fresh
     * data key as the secret's next version, which becomes current (and live again if it was deleted).
     */
    Uni<SecretMetadata> append(Caller caller, SecretRecord secret, byte[] plaintext) {
        UUID orgId = secret.orgId;
        // Locks the active org key row and counts the wrap (see KeyService#claimActiveOrgKey).
        return keys.claimActiveOrgKey(orgId).chain(orgKey -> {
            int version = secret.currentVersion + 1;
            SecretCipher.Encrypted encrypted =
                    SecretCipher.encrypt(orgKey, secret.id, secret.environment, secret.name, version, plaintext);
            OffsetDateTime now = Times.now();
            SecretVersionRecord row = new SecretVersionRecord();
            row.id = UUID.randomUUID();
            row.secretId = secret.id;
            row.version = version;
            row.orgKeyVersion = encrypted.orgKeyVersion();
            row.wrappedDataKey = encrypted.wrappedDataKey();
            row.ciphertext = encrypted.ciphertext();
            row.createdAt = now;
            row.createdBy = caller.actor();
            row.tags = secret.tags == null ? new String[0] : secret.tags.clone();
            secret.currentVersion = version;
            secret.deletedAt = null;
            secret.purgedAt = null;
            secret.updatedAt = now;
            return versions.persist(row).replaceWith(() -> metadata(secret));
        });
    }

    /** The org key versions {@code rows} were wrapped under, by version. */
    Uni<Map<Integer, OrgKey>> orgKeysFor(UUID orgId, List<SecretVersionRecord> rows) {
        List<Integer> needed =
                rows.stream().map(r -> r.orgKeyVersion).distinct().toList();
        if (needed.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<OrgKey>> loads =
                needed.stream().map(v -> keys.orgKey(orgId, v)).toList();
        return Uni.join().all(loads).andFailFast().map(list -> {
            Map<Integer, OrgKey> map = new HashMap<>();
            list.forEach(k -> map.put(k.version(), k));
            return map;
        });
    }

    /** The value of one version of {@code secret}; the caller zeroes it. */
    static byte[] decrypt(SecretRecord secret, SecretVersionRecord version, Map<Integer, OrgKey> orgKeys) {
        return SecretCipher.decrypt(
                secret.orgId,
                orgKeys::get,
                secret.id,
                secret.environment,
                secret.name,
                version.version,
                version.wrappedDataKey,
                version.ciphertext);
    }

    /**
     * Whether a tag-restricted key may see {@code version} of a secret it sees: the current version carries
     * the secret's tags; an older one is visible only when the key sees the tags it was stored under
     * (docs/SECURITY.md, section 4.2). Versions stored before tags were kept per version carry none,
     * so a tag-restricted key sees only the current one of those.
     */
    static boolean sees(Access access, SecretRecord secret, SecretVersionRecord version) {
        return version.version == secret.currentVersion || access.sees(version.tags);
    }

    /**
     * A tag-restricted key writes only secrets it can see, and leaves them visible to itself. A secret it
     * cannot see answers 404 {@code secret_not_found}, as every other route does for it (docs/API.md,
     * "Secrets a key cannot see"); asking for tags outside its scope is a 403.
     */
    static void requireTagScope(Access access, SecretRecord secret, List<String> newTags) {
        boolean existing = secret.currentVersion > 0;
        if (existing && !access.sees(secret.tags)) {
            throw new CrateException(
                    ErrorCode.SECRET_NOT_FOUND, "no secret " + secret.name + " in environment " + secret.environment);
        }
        String[] resulting = newTags != null ? newTags.toArray(String[]::new) : secret.tags;
        if (!access.sees(resulting)) {
            throw new CrateException(
                    ErrorCode.FORBIDDEN, "this API key may only write secrets carrying one of its tags");
        }
    }

    /**
     * Known environments come from {@link CallerCache}; an unknown name is looked up every time (in the
     * caller's session or transaction when there is one).
     */
    Uni<Void> requireEnvironment(UUID orgId, String environment) {
        if (cache.knownEnvironment(orgId, environment)) {
            return Uni.createFrom().voidItem();
        }
        long generation = cache.environmentGeneration();
        return Panache.withSession(() -> environments.findByName(orgId, environment))
                .onItem()
                .ifNull()
                .failWith(() -> new CrateException(
                        ErrorCode.ENVIRONMENT_NOT_FOUND,
                        "no environment '" + environment
                                + "' in this organization; create it with POST /organization/{id}/environments"))
                .invoke(() -> cache.rememberEnvironment(orgId, environment, generation))
                .replaceWithVoid();
    }

    static SecretMetadata metadata(SecretRecord secret) {
        return new SecretMetadata(
                secret.name,
                secret.environment,
                secret.currentVersion,
                Validation.sorted(secret.tags),
                secret.updatedAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
