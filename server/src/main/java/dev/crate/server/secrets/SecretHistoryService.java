package dev.crate.server.secrets;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.RollbackRequest;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.SecretVersion;
import dev.crate.protocol.wire.SecretVersionList;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Validation;
import dev.crate.server.events.SecretEventAction;
import dev.crate.server.events.SecretEvents;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A secret's history: its versions (never values), rollback to an older value (as a new version under a
 * fresh data key), restore after a soft delete, and purge, which destroys every version's data key.
 */
@ApplicationScoped
public class SecretHistoryService {
    private final AccessPolicy access;
    private final SecretVersions secretVersions;
    private final SecretRepository secrets;
    private final SecretVersionRepository versions;
    private final AuditService audit;
    private final SecretEvents events;

    SecretHistoryService(
            AccessPolicy access,
            SecretVersions secretVersions,
            SecretRepository secrets,
            SecretVersionRepository versions,
            AuditService audit,
            SecretEvents events) {
        this.events = events;
        this.access = access;
        this.secretVersions = secretVersions;
        this.secrets = secrets;
        this.versions = versions;
        this.audit = audit;
    }

    public Uni<SecretVersionList> versions(Caller caller, String orgId, String rawName, String env) {
        String name = Validation.secretName(rawName);
        String environment = Validation.environment(env);
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                environment,
                name,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireMetadata(environment))
                        .chain(a -> Panache.withSession(() -> visible(a, environment, name)
                                .chain(secret -> versions.history(secret.id)
                                        .map(rows -> new SecretVersionList(
                                                secret.name,
                                                secret.environment,
                                                secret.currentVersion,
                                                secret.deletedAt != null,
                                                secret.purgedAt != null,
                                                rows.stream()
                                                        // older versions stored under tags the caller
                                                        // cannot see are left out
                                                        .filter(v -> SecretVersions.sees(a, secret, v))
                                                        .map(SecretHistoryService::toWire)
                                                        .toList()))))));
    }

    /** A new version whose value is version {@code request.version}'s, decrypted and encrypted again under a fresh data key. */
    public Uni<SecretMetadata> rollback(
            Caller caller, String orgId, String rawName, String env, RollbackRequest request) {
        String name = Validation.secretName(rawName);
        String environment = Validation.environment(env);
        if (request == null || request.version() == null || request.version() < 1) {
            throw new CrateException(
                    ErrorCode.INVALID_VERSION, "a JSON body with the version to roll back to is required");
        }
        int target = request.version();
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_ROLLBACK,
                environment,
                name,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireSecretWrite(environment).requireSecretRead(environment))
                        .chain(a -> Panache.withTransaction(() -> lockedLive(a, environment, name)
                                .chain(secret -> versions.findVersion(secret.id, target)
                                        // a version the caller cannot see answers as one that does not exist
                                        .map(old -> old != null && SecretVersions.sees(a, secret, old) ? old : null)
                                        .onItem()
                                        .ifNull()
                                        .failWith(() -> new CrateException(
                                                ErrorCode.VERSION_NOT_FOUND,
                                                "secret " + name + " has no version " + target
                                                        + " (never stored, or pruned)"))
                                        .invoke(old -> {
                                            if (old.wrappedDataKey == null) {
                                                throw new CrateException(
                                                        ErrorCode.VERSION_DESTROYED,
                                                        "version " + target + " of " + name
                                                                + " was purged and cannot be read again");
                                            }
                                        })
                                        .chain(old -> decrypt(secret, old))
                                        .chain(value -> secretVersions
                                                .append(caller, secret, value)
                                                .eventually(() -> Arrays.fill(value, (byte) 0)))
                                        .call(stored -> audit.append(audit.entry(
                                                        caller,
                                                        a.org().id,
                                                        AuditAction.SECRET_ROLLBACK,
                                                        environment,
                                                        name,
                                                        stored.version())
                                                .withDetail(audit.detail(Map.of("from_version", target)))))
                                        .call(stored -> events.record(
                                                a.org().id,
                                                environment,
                                                name,
                                                stored.version(),
                                                SecretEventAction.ROLLED_BACK,
                                                stored.tags().toArray(String[]::new)))))));
    }

    /** Undoes a soft delete; a live secret stays as it is. Purged secrets cannot come back. */
    public Uni<SecretMetadata> restore(Caller caller, String orgId, String rawName, String env) {
        String name = Validation.secretName(rawName);
        String environment = Validation.environment(env);
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_RESTORE,
                environment,
                name,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireSecretWrite(environment))
                        .chain(a -> Panache.withTransaction(() -> locked(a, environment, name)
                                .chain(secret -> {
                                    if (secret.purgedAt != null) {
                                        throw new CrateException(
                                                ErrorCode.VERSION_DESTROYED,
                                                "secret " + name + " was purged: its versions can never be read again");
                                    }
                                    if (secret.deletedAt == null) {
                                        return Uni.createFrom().item(SecretVersions.metadata(secret));
                                    }
                                    secret.deletedAt = null;
                                    secret.updatedAt = Times.now();
                                    return audit.append(audit.entry(
                                                    caller,
                                                    a.org().id,
                                                    AuditAction.SECRET_RESTORE,
                                                    environment,
                                                    name,
                                                    secret.currentVersion))
                                            .call(() -> events.record(
                                                    a.org().id,
                                                    environment,
                                                    name,
                                                    secret.currentVersion,
                                                    SecretEventAction.RESTORED,
                                                    secret.tags))
                                            .replaceWith(() -> SecretVersions.metadata(secret));
                                }))));
    }

    /**
     * Deletes the secret and destroys the wrapped data key of every version, so that no key, root key
     * included, can decrypt them again. Irreversible. Storing the name again starts from the next version.
     */
    public Uni<Void> purge(Caller caller, String orgId, String rawName, String env) {
        String name = Validation.secretName(rawName);
        String environment = Validation.environment(env);
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_PURGE,
                environment,
                name,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireSecretWrite(environment))
                        .chain(a -> Panache.withTransaction(() -> locked(a, environment, name)
                                .chain(secret -> {
                                    OffsetDateTime now = Times.now();
                                    if (secret.deletedAt == null) {
                                        secret.deletedAt = now;
                                    }
                                    secret.purgedAt = now;
                                    secret.updatedAt = now;
                                    return versions.destroyAll(secret.id, now)
                                            .chain(destroyed -> audit.append(audit.entry(
                                                            caller,
                                                            a.org().id,
                                                            AuditAction.SECRET_PURGE,
                                                            environment,
                                                            name,
                                                            secret.currentVersion)
                                                    .withDetail(audit.detail(Map.of("versions_destroyed", destroyed)))))
                                            .call(() -> events.record(
                                                    a.org().id,
                                                    environment,
                                                    name,
                                                    secret.currentVersion,
                                                    SecretEventAction.PURGED,
                                                    secret.tags));
                                }))));
    }

    private Uni<byte[]> decrypt(SecretRecord secret, SecretVersionRecord old) {
        return secretVersions
                .orgKeysFor(secret.orgId, List.of(old))
                .map(orgKeyMap -> SecretVersions.decrypt(secret, old, orgKeyMap));
    }

    /** The secret (deleted or not), if the caller may see it; 404 otherwise. */
    private Uni<SecretRecord> visible(Access a, String environment, String name) {
        return secretVersions
                .requireEnvironment(a.org().id, environment)
                .chain(() -> secrets.findStored(a.org().id, environment, name))
                .map(secret -> secret != null && a.sees(secret.tags) ? secret : null)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(name, environment));
    }

    /** The secret row locked for update (deleted or not), if the caller may see it and write it. */
    private Uni<SecretRecord> locked(Access a, String environment, String name) {
        return secretVersions
                .requireEnvironment(a.org().id, environment)
                .chain(() -> secrets.findForUpdate(a.org().id, environment, name))
                .map(secret -> secret != null && secret.currentVersion > 0 && a.sees(secret.tags) ? secret : null)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(name, environment))
                .invoke(secret -> SecretVersions.requireTagScope(a, secret, null));
    }

    private Uni<SecretRecord> lockedLive(Access a, String environment, String name) {
        return locked(a, environment, name).invoke(secret -> {
            if (secret.deletedAt != null) {
                throw notFound(name, environment);
            }
        });
    }

    private static CrateException notFound(String name, String environment) {
        return new CrateException(ErrorCode.SECRET_NOT_FOUND, "no secret " + name + " in environment " + environment);
    }

    private static SecretVersion toWire(SecretVersionRecord row) {
        return new SecretVersion(
                row.version,
                row.createdAt.withOffsetSameInstant(ZoneOffset.UTC),
                row.createdBy,
                Validation.sorted(row.tags),
                row.wrappedDataKey == null);
    }
}
