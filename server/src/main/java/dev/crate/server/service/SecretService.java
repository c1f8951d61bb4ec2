package dev.crate.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrieveResponse;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.protocol.wire.SecretList;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.StoreSecretRequest;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.auth.Access;
import dev.crate.server.auth.AccessPolicy;
import dev.crate.server.crypto.SecretCipher;
import dev.crate.server.crypto.sealing.ClientKey;
import dev.crate.server.crypto.sealing.ClientKeyException;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.storage.EnvironmentRepository;
import dev.crate.server.storage.SecretRecord;
import dev.crate.server.storage.SecretRepository;
import dev.crate.server.storage.SecretVersionRecord;
import dev.crate.server.storage.SecretVersionRepository;
import dev.crate.server.storage.TagRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Storing, listing, retrieving and deleting secrets: the sealed write path and the sealed read path. */
@ApplicationScoped
public class SecretService {
    /** A 64 KiB value sealed as a JWE is about 88 000 characters; anything much longer is refused unread. */
    private static final int MAX_ENCRYPTED_VALUE_CHARS = 96 * 1024;

    private final AccessPolicy access;
    private final KeyService keys;
    private final EnvironmentRepository environments;
    private final TagRepository tags;
    private final SecretRepository secrets;
    private final SecretVersionRepository versions;
    private final ObjectMapper json;
    private final CrateMetrics metrics;
    private final AuditService audit;

    SecretService(AccessPolicy access, KeyService keys, EnvironmentRepository environments, TagRepository tags,
            SecretRepository secrets, SecretVersionRepository versions, ObjectMapper json,
            CrateMetrics metrics, AuditService audit) {
        this.audit = audit;
        this.access = access;
        this.keys = keys;
        this.environments = environments;
        this.tags = tags;
        this.secrets = secrets;
        this.versions = versions;
        this.json = json;
        this.metrics = metrics;
    }

    public Uni<PublicKeyResponse> publicKey(Caller caller, String orgId) {
        return audit.guard(caller, orgId, AuditAction.ACCESS, null, null,
                () -> access.resolve(caller, orgId).chain(a -> keys.publicKey(a.org().id)));
    }

    public Uni<SecretMetadata> store(Caller caller, String orgId, StoreSecretRequest request) {
        if (request == null) {
            throw new CrateException(ErrorCode.MALFORMED_REQUEST, "a JSON body with name, environment, encrypted_value and sealed is required");
        }
        String name = Validation.secretName(request.name());
        String environment = Validation.environment(request.environment());
        List<String> newTags = request.tags() == null ? null : Validation.tags(request.tags());
        if (!Boolean.TRUE.equals(request.sealed())) {
            throw new CrateException(ErrorCode.UNSEALED_VALUE_REJECTED,
                    "values must be sealed on the client with the organization's public key and sent with \"sealed\": true");
        }
        if (request.encryptedValue() == null || request.encryptedValue().isEmpty()) {
            throw new CrateException(ErrorCode.MALFORMED_REQUEST, "encrypted_value is required");
        }
        if (request.encryptedValue().length() > MAX_ENCRYPTED_VALUE_CHARS) {
            throw new CrateException(ErrorCode.VALUE_TOO_LARGE, "a secret value holds at most " + Limits.MAX_VALUE_BYTES + " bytes");
        }
        Integer expected = request.expectedVersion();
        if (expected != null && expected < 0) {
            throw new CrateException(ErrorCode.INVALID_VERSION, "expected_version is 0 (not stored yet) or a version number");
        }
        return audit.guard(caller, orgId, AuditAction.SECRET_WRITE, environment, name, () -> metrics.timeStore(
                access.resolve(caller, orgId).invoke(a -> a.requireSecretWrite(environment))
                .chain(a -> keys.openSealed(a.org().id, request.encryptedValue())
                        .chain(value -> {
                            try {
                                checkValue(value);
                            } catch (CrateException e) {
                                Arrays.fill(value, (byte) 0);
                                throw e;
                            }
                            return Panache.withTransaction(() -> storeInTransaction(caller, a, environment, name, newTags,
                                            expected, value)
                                    .call(stored -> audit.append(audit.entry(caller, a.org().id, AuditAction.SECRET_WRITE,
                                            environment, name, stored.version()))))
                                    .eventually(() -> Arrays.fill(value, (byte) 0));
                        })))
                .invoke(metrics::secretStored));
    }

    private Uni<SecretMetadata> storeInTransaction(Caller caller, Access access, String environment, String name,
            List<String> newTags, Integer expectedVersion, byte[] plaintext) {
        UUID orgId = access.org().id;
        return requireEnvironment(orgId, environment)
                .chain(() -> secrets.insertIfAbsent(orgId, environment, name))
                .chain(() -> secrets.findForUpdate(orgId, environment, name))
                .invoke(secret -> requireTagScope(access, secret, newTags))
                .invoke(secret -> requireExpectedVersion(secret, expectedVersion))
                // Kept tags go back into the catalog too: it may have dropped them while the secret was deleted.
                .call(secret -> tags.ensureExist(orgId, newTags != null ? newTags : Validation.sorted(secret.tags)))
                .chain(secret -> {
                    if (newTags != null) {
                        secret.tags = newTags.toArray(String[]::new);
                    }
                    return appendVersion(caller, secret, plaintext);
                });
    }

    /**
     * Inside the caller's transaction, with the secret row locked: encrypts {@code plaintext} under a fresh
     * data key as the secret's next version, which becomes current (and live again if it was deleted).
     */
    Uni<SecretMetadata> appendVersion(Caller caller, SecretRecord secret, byte[] plaintext) {
        UUID orgId = secret.orgId;
        // Locks the active org key row and counts the wrap (see KeyService#claimActiveOrgKey).
        return keys.claimActiveOrgKey(orgId).chain(orgKey -> {
            int version = secret.currentVersion + 1;
            SecretCipher.Encrypted encrypted = SecretCipher.encrypt(orgKey, secret.id, secret.environment, secret.name, version,
                    plaintext);
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

    private static void requireExpectedVersion(SecretRecord secret, Integer expected) {
        if (expected != null && secret.currentVersion != expected) {
            throw new CrateException(ErrorCode.VERSION_CONFLICT, "expected_version is " + expected
                    + " but the current version is " + secret.currentVersion + "; read it again and retry");
        }
    }

    public Uni<SecretList> list(Caller caller, String orgId, String env, String tagCsv) {
        String environment = Validation.environment(env);
        List<String> filter = Validation.tagFilter(tagCsv);
        return audit.guard(caller, orgId, AuditAction.ACCESS, environment, null, () -> access.resolve(caller, orgId)
                .invoke(a -> a.requireMetadata(environment)).chain(a -> Panache.withSession(() ->
                requireEnvironment(a.org().id, environment)
                        .chain(() -> secrets.listLive(a.org().id, environment, filter, null))
                        .map(rows -> new SecretList(rows.stream().filter(s -> a.sees(s.tags))
                                .map(SecretService::metadata).toList())))));
    }

    public Uni<RetrieveResponse> retrieve(Caller caller, String orgId, RetrieveRequest request) {
        if (request == null) {
            throw new CrateException(ErrorCode.MALFORMED_REQUEST, "a JSON body with a client public key is required");
        }
        String environment = Validation.environment(request.environment());
        Map<String, Integer> pinned = pinnedVersions(request.versions());
        List<String> names = Validation.names(withPinned(request.names(), pinned));
        List<String> filter = Validation.tags(request.tags());
        ClientKey clientKey = clientKey(request);
        String enc = request.enc() == null ? "A256GCM" : request.enc();
        if (!ClientKey.supportedEnc(enc)) {
            throw new CrateException(ErrorCode.MALFORMED_REQUEST, "enc must be A256GCM (default) or A256CBC-HS512");
        }
        return audit.guard(caller, orgId, AuditAction.SECRET_READ, environment, null, () -> metrics.timeRetrieve(
                access.resolve(caller, orgId).invoke(a -> a.requireSecretRead(environment)).chain(a -> Panache.withSession(() ->
                requireEnvironment(a.org().id, environment)
                        .chain(() -> secrets.listLive(a.org().id, environment, filter, names))
                        .map(rows -> rows.stream().filter(s -> a.sees(s.tags)).toList())
                        .chain(rows -> versionsToRead(rows, pinned).map(rowVersions -> new ToRead(rows, rowVersions))))
                        // the read is on record before anything is decrypted; the wait for that commit holds no
                        // session, so readers never sit on the connections the audit writer needs
                        .call(read -> audit.commitRead(readEntry(caller, a, environment, read.rows(), read.versions())))
                        .chain(read -> openAndSeal(a.org().id, read, pinned, clientKey, enc, environment, names,
                                RETIRED_KEY_RETRIES)))));
    }

    private static final int RETIRED_KEY_RETRIES = 3;

    /**
     * Decrypts the versions read and seals them to the client key. A key rotation that retired an org key
     * between reading the rows and loading the key makes it read the (re-wrapped) version rows again: the
     * same versions, so the audit record already committed stands.
     */
    private Uni<RetrieveResponse> openAndSeal(UUID orgId, ToRead read, Map<String, Integer> pinned, ClientKey clientKey,
            String enc, String environment, List<String> names, int retries) {
        return orgKeysFor(orgId, read.versions())
                .chain(orgKeyMap -> Offload.cpu(() -> seal(clientKey, enc, environment, names, read.rows(), read.versions(),
                        orgKeyMap)))
                .onFailure(RetiredOrgKeyException.class).recoverWithUni(failure -> retries == 0
                        ? Uni.createFrom().failure(failure)
                        : Panache.withSession(() -> versionsToRead(read.rows(), pinned))
                                .chain(fresh -> openAndSeal(orgId, new ToRead(read.rows(), fresh), pinned, clientKey, enc,
                                        environment, names, retries - 1)));
    }

    /** The secrets a retrieve returns and the version rows to decrypt. */
    private record ToRead(List<SecretRecord> rows, List<SecretVersionRecord> versions) {
    }

    /** The current versions of {@code rows}, or the pinned one where asked; destroyed versions are left out. */
    private Uni<List<SecretVersionRecord>> versionsToRead(List<SecretRecord> rows, Map<String, Integer> pinned) {
        List<UUID> current = rows.stream().filter(s -> !pinned.containsKey(s.name)).map(s -> s.id).toList();
        List<SecretRecord> pinnedRows = rows.stream().filter(s -> pinned.containsKey(s.name)).toList();
        return versions.currentOf(current).chain(found -> versions.specific(pinnedRows.stream()
                        .map(s -> new SecretVersionRepository.Wanted(s.id, pinned.get(s.name))).toList())
                .map(more -> {
                    List<SecretVersionRecord> all = new ArrayList<>(found);
                    all.addAll(more);
                    all.removeIf(v -> v.wrappedDataKey == null);
                    return all;
                }));
    }

    private AuditEntry readEntry(Caller caller, Access a, String environment, List<SecretRecord> rows,
            List<SecretVersionRecord> rowVersions) {
        Map<UUID, String> namesById = new HashMap<>();
        rows.forEach(s -> namesById.put(s.id, s.name));
        List<Map<String, Object>> read = rowVersions.stream()
                .map(v -> Map.<String, Object>of("name", namesById.get(v.secretId), "version", v.version))
                .sorted(java.util.Comparator.comparing(m -> (String) m.get("name"))).toList();
        AuditEntry entry = audit.entry(caller, a.org().id, AuditAction.SECRET_READ, environment,
                read.size() == 1 ? (String) read.get(0).get("name") : null,
                read.size() == 1 ? (Integer) read.get(0).get("version") : null);
        return entry.withDetail(audit.detail(Map.of("secrets", read)));
    }

    private static Map<String, Integer> pinnedVersions(Map<String, Integer> requested) {
        if (requested == null) {
            return Map.of();
        }
        if (requested.size() > Limits.MAX_NAMES_PER_RETRIEVE) {
            throw new CrateException(ErrorCode.TOO_MANY_NAMES, "versions holds at most " + Limits.MAX_NAMES_PER_RETRIEVE + " entries");
        }
        Map<String, Integer> pinned = new HashMap<>();
        requested.forEach((name, version) -> {
            if (version == null || version < 1) {
                throw new CrateException(ErrorCode.INVALID_VERSION, "versions maps secret names to version numbers (1 or more)");
            }
            pinned.put(Validation.secretName(name), version);
        });
        return pinned;
    }

    private static List<String> withPinned(List<String> names, Map<String, Integer> pinned) {
        if (pinned.isEmpty()) {
            return names;
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(names == null ? List.of() : names);
        all.addAll(new java.util.TreeSet<>(pinned.keySet()));
        return List.copyOf(all);
    }

    public Uni<Void> delete(Caller caller, String orgId, String rawName, String env) {
        String name = Validation.secretName(rawName);
        String environment = Validation.environment(env);
        return audit.guard(caller, orgId, AuditAction.SECRET_DELETE, environment, name, () -> access.resolve(caller, orgId)
                .invoke(a -> a.requireSecretWrite(environment)).chain(a -> Panache.withTransaction(() ->
                requireEnvironment(a.org().id, environment)
                        .chain(() -> secrets.findLive(a.org().id, environment, name))
                        .map(secret -> secret != null && a.sees(secret.tags) ? secret : null)
                        .onItem().ifNull().failWith(() -> new CrateException(ErrorCode.SECRET_NOT_FOUND,
                                "no secret " + name + " in environment " + environment))
                        .invoke(secret -> {
                            OffsetDateTime now = Times.now();
                            secret.deletedAt = now;
                            secret.updatedAt = now;
                        })
                        .call(secret -> audit.append(audit.entry(caller, a.org().id, AuditAction.SECRET_DELETE, environment, name,
                                secret.currentVersion)))
                        .replaceWithVoid())));
    }

    /** A tag-restricted key writes only secrets it can see, and leaves them visible to itself. */
    static void requireTagScope(Access access, SecretRecord secret, List<String> newTags) {
        boolean existing = secret.currentVersion > 0;
        String[] resulting = newTags != null ? newTags.toArray(String[]::new) : secret.tags;
        if (existing && !access.sees(secret.tags) || !access.sees(resulting)) {
            throw new CrateException(ErrorCode.FORBIDDEN, "this API key may only write secrets carrying one of its tags");
        }
    }

    Uni<Void> requireEnvironment(UUID orgId, String environment) {
        return environments.findByName(orgId, environment)
                .onItem().ifNull().failWith(() -> new CrateException(ErrorCode.ENVIRONMENT_NOT_FOUND,
                        "no environment '" + environment + "' in this organization; create it with POST /organization/{id}/environments"))
                .replaceWithVoid();
    }

    Uni<Map<Integer, OrgKey>> orgKeysFor(UUID orgId, List<SecretVersionRecord> rows) {
        List<Integer> needed = rows.stream().map(r -> r.orgKeyVersion).distinct().toList();
        if (needed.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<OrgKey>> loads = needed.stream().map(v -> keys.orgKey(orgId, v)).toList();
        return Uni.join().all(loads).andFailFast().map(list -> {
            Map<Integer, OrgKey> map = new HashMap<>();
            list.forEach(k -> map.put(k.version(), k));
            return map;
        });
    }

    private RetrieveResponse seal(ClientKey clientKey, String enc, String environment, List<String> names, List<SecretRecord> rows,
            List<SecretVersionRecord> rowVersions, Map<Integer, OrgKey> orgKeyMap) {
        Map<UUID, SecretVersionRecord> byId = new HashMap<>();
        rowVersions.forEach(v -> byId.put(v.secretId, v));
        List<RetrievedSecret> found = new ArrayList<>();
        LinkedHashSet<String> missing = new LinkedHashSet<>(names == null ? List.of() : names);
        for (SecretRecord secret : rows) {
            SecretVersionRecord version = byId.get(secret.id);
            if (version == null || version.wrappedDataKey == null) {
                continue;
            }
            byte[] value = SecretCipher.decrypt(secret.orgId, orgKeyMap::get, secret.id, secret.environment,
                    secret.name, version.version, version.wrappedDataKey, version.ciphertext);
            found.add(new RetrievedSecret(secret.name, new String(value, StandardCharsets.UTF_8), version.version,
                    Validation.sorted(secret.tags)));
            Arrays.fill(value, (byte) 0);
            missing.remove(secret.name);
        }
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(new RetrievedPayload(environment, found, List.copyOf(missing)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the retrieve payload");
        }
        try {
            RetrieveResponse sealed = new RetrieveResponse(clientKey.seal(payload, enc));
            metrics.secretsRetrieved(found.size());
            return sealed;
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    private static ClientKey clientKey(RetrieveRequest request) {
        boolean pem = request.clientPublicKeyPem() != null;
        boolean jwk = request.clientPublicJwk() != null;
        if (pem == jwk) {
            throw new CrateException(ErrorCode.INVALID_CLIENT_KEY,
                    "give exactly one of client_public_key_pem (RSA SPKI PEM) or client_public_jwk (RSA or EC P-256 JWK)");
        }
        try {
            return pem ? ClientKey.fromPem(request.clientPublicKeyPem()) : ClientKey.fromJwk(request.clientPublicJwk());
        } catch (ClientKeyException e) {
            throw new CrateException(e.weak() ? ErrorCode.WEAK_CLIENT_KEY : ErrorCode.INVALID_CLIENT_KEY, e.getMessage());
        }
    }

    static void checkValue(byte[] value) {
        if (value.length == 0) {
            throw new CrateException(ErrorCode.INVALID_VALUE, "a secret value holds 1 byte to 64 KiB of UTF-8");
        }
        if (value.length > Limits.MAX_VALUE_BYTES) {
            throw new CrateException(ErrorCode.VALUE_TOO_LARGE, "a secret value holds at most " + Limits.MAX_VALUE_BYTES + " bytes");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new CrateException(ErrorCode.INVALID_VALUE, "a secret value must be valid UTF-8");
        }
    }

    static SecretMetadata metadata(SecretRecord secret) {
        return new SecretMetadata(secret.name, secret.environment, secret.currentVersion,
                Validation.sorted(secret.tags), secret.updatedAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
