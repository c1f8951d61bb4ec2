package dev.crate.server.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.sealing.Destination;
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
import dev.crate.server.audit.AuditService;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.sealing.ClientKey;
import dev.crate.server.crypto.sealing.ClientKeyException;
import dev.crate.server.crypto.sealing.SealedValueOpener;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.domain.Validation;
import dev.crate.server.events.SecretEventAction;
import dev.crate.server.events.SecretEvents;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.keys.KeyService;
import dev.crate.server.keys.RetiredOrgKeyException;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.support.Offload;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
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
    private final SecretVersions secretVersions;
    private final SecretRepository secrets;
    private final SecretVersionRepository versions;
    private final ObjectMapper json;
    private final CrateMetrics metrics;
    private final AuditService audit;
    private final SecretEvents events;
    private final SecretReader reader;
    private final StoreBatch batch;
    private final int maxPage;

    SecretService(
            AccessPolicy access,
            KeyService keys,
            SecretVersions secretVersions,
            SecretRepository secrets,
            SecretVersionRepository versions,
            ObjectMapper json,
            CrateMetrics metrics,
            AuditService audit,
            SecretEvents events,
            SecretReader reader,
            StoreBatch batch,
            CrateConfig config) {
        this.batch = batch;
        this.maxPage =
                Math.max(Limits.RETRIEVE_NAMES_PER_REQUEST, config.secrets().retrieveMaxPage());
        this.audit = audit;
        this.events = events;
        this.reader = reader;
        this.access = access;
        this.keys = keys;
        this.secretVersions = secretVersions;
        this.secrets = secrets;
        this.versions = versions;
        this.json = json;
        this.metrics = metrics;
    }

    public Uni<PublicKeyResponse> publicKey(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> access.resolve(caller, orgId).chain(a -> keys.publicKey(a.org().id)));
    }

    public Uni<SecretMetadata> store(Caller caller, String orgId, StoreSecretRequest request) {
        Store store = Store.of(request);
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_WRITE,
                store.environment(),
                store.name(),
                () -> metrics.timeStore(access.resolve(caller, orgId)
                                .invoke(a -> a.requireSecretWrite(store.environment()))
                                .chain(a ->
                                        openValue(a, store).chain(opened -> writeAndRecord(caller, a, store, opened))))
                        .invoke(metrics::secretStored));
    }

    /** A store request, checked: everything but the value, which is opened only after the access checks. */
    private record Store(
            String name, String environment, List<String> tags, String encryptedValue, Integer expectedVersion) {
        static Store of(StoreSecretRequest request) {
            if (request == null) {
                throw new CrateException(
                        ErrorCode.MALFORMED_REQUEST,
                        "a JSON body with name, environment, encrypted_value and sealed is required");
            }
            String name = Validation.secretName(request.name());
            String environment = Validation.environment(request.environment());
            List<String> newTags = request.tags() == null ? null : Validation.tags(request.tags());
            if (!Boolean.TRUE.equals(request.sealed())) {
                throw new CrateException(
                        ErrorCode.UNSEALED_VALUE_REJECTED,
                        "values must be sealed on the client with the organization's public key and sent with \"sealed\": true");
            }
            if (request.encryptedValue() == null || request.encryptedValue().isEmpty()) {
                throw new CrateException(ErrorCode.MALFORMED_REQUEST, "encrypted_value is required");
            }
            if (request.encryptedValue().length() > MAX_ENCRYPTED_VALUE_CHARS) {
                throw new CrateException(
                        ErrorCode.VALUE_TOO_LARGE, "a secret value holds at most " + Limits.MAX_VALUE_BYTES + " bytes");
            }
            Integer expected = request.expectedVersion();
            if (expected != null && expected < 0) {
                throw new CrateException(
                        ErrorCode.INVALID_VERSION, "expected_version is 0 (not stored yet) or a version number");
            }
            return new Store(name, environment, newTags, request.encryptedValue(), expected);
        }

        @Override
        public String toString() {
            return "Store[name=" + name + ", environment=" + environment + "]";
        }
    }

    /**
     * Opens the sealed value with the org's transport key (on a worker thread) for this request's destination
     * (org, environment, name: a value sealed for another one is refused before anything is stored) and checks
     * it; a refused value is zeroed. The org setting for unbound values rides on the cached org row.
     */
    private Uni<SealedValueOpener.Opened> openValue(Access a, Store store) {
        Destination destination = Destination.of(a.org().id, store.environment(), store.name());
        return keys.openSealed(a.org().id, store.encryptedValue(), destination, a.org().allowUnboundSealedValues)
                .invoke(opened -> {
                    try {
                        checkValue(opened.value());
                    } catch (CrateException e) {
                        Arrays.fill(opened.value(), (byte) 0);
                        throw e;
                    }
                });
    }

    /**
     * The new version and its audit record commit together, in a transaction shared with the stores of the
     * org that queued meanwhile ({@link StoreBatch}). The plaintext is zeroed either way; an unbound value is recorded as such in its audit record's detail.
     */
    private Uni<SecretMetadata> writeAndRecord(Caller caller, Access a, Store store, SealedValueOpener.Opened opened) {
        UUID orgId = a.org().id;
        byte[] value = opened.value();
        return secretVersions
                .requireEnvironment(orgId, store.environment())
                .chain(() -> batch.submit(
                        orgId,
                        new StoreBatch.Request(
                                caller,
                                a,
                                store.environment(),
                                store.name(),
                                store.tags(),
                                store.expectedVersion(),
                                value,
                                opened.bound())))
                .eventually(() -> Arrays.fill(value, (byte) 0));
    }

    static void requireExpectedVersion(SecretRecord secret, Integer expected) {
        if (expected != null && secret.currentVersion != expected) {
            throw new CrateException(
                    ErrorCode.VERSION_CONFLICT,
                    "expected_version is " + expected + " but the current version is " + secret.currentVersion
                            + "; read it again and retry");
        }
    }

    /** Metadata of the live secrets of one environment that carry every tag in {@code tags} (may be empty). */
    public Uni<SecretList> list(Caller caller, String orgId, String env, List<String> tags) {
        String environment = Validation.environment(env);
        List<String> filter = Validation.tagFilter(tags);
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                environment,
                null,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireMetadata(environment))
                        .chain(a -> secretVersions
                                .requireEnvironment(a.org().id, environment)
                                .chain(() -> reader.live(a.org().id, environment, filter))
                                .map(rows -> new SecretList(rows.stream()
                                        .filter(s -> a.sees(s.tags))
                                        .map(SecretVersions::metadata)
                                        .toList()))));
    }

    /**
     * The values asked for, sealed to the request's client key; without names, one page of them (docs/API.md,
     * section 5: each page is one statement and one audit record, pages are not one snapshot).
     */
    public Uni<RetrieveResponse> retrieve(Caller caller, String orgId, RetrieveRequest request) {
        Retrieve retrieve = Retrieve.of(request, maxPage);
        String environment = retrieve.environment();
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_READ,
                environment,
                null,
                () -> metrics.timeRetrieve(access.resolve(caller, orgId)
                        .invoke(a -> a.requireSecretRead(environment))
                        .chain(a -> select(a, retrieve)
                                // the read is on record before anything is decrypted; the wait for that commit holds no
                                // session, so readers never sit on the connections the audit writer needs
                                .call(read -> audit.commitRead(
                                        readEntry(caller, a, environment, read.rows(), read.versions())))
                                .chain(read -> openAndSeal(a, read, retrieve, RETIRED_KEY_RETRIES)))));
    }

    /**
     * A retrieve request, checked; {@code limit} is the page size of a retrieve without names (0 with names,
     * which are bounded by the same number instead), {@code after} where its page starts (null: the first).
     */
    private record Retrieve(
            String environment,
            Map<String, Integer> pinned,
            List<String> names,
            List<String> tags,
            ClientKey clientKey,
            String enc,
            int limit,
            String after) {
        static Retrieve of(RetrieveRequest request, int maxPage) {
            if (request == null) {
                throw new CrateException(
                        ErrorCode.MALFORMED_REQUEST, "a JSON body with a client public key is required");
            }
            String environment = Validation.environment(request.environment());
            Map<String, Integer> pinned = pinnedVersions(request.versions(), maxPage);
            List<String> names = Validation.names(withPinned(request.names(), pinned), maxPage);
            int limit = pageLimit(request, names != null, maxPage);
            String after = pageStart(request.after());
            List<String> filter = Validation.tags(request.tags());
            ClientKey clientKey = clientKeyOf(request);
            String enc = request.enc() == null ? "A256GCM" : request.enc();
            if (!ClientKey.supportedEnc(enc)) {
                throw new CrateException(ErrorCode.MALFORMED_REQUEST, "enc must be A256GCM (default) or A256CBC-HS512");
            }
            return new Retrieve(environment, pinned, names, filter, clientKey, enc, limit, after);
        }

        /** One page of the environment, or null when names were given (they are one answer). */
        SecretReader.Page page(Access a) {
            // one row more than the page tells whether another page follows
            return names == null ? new SecretReader.Page(a.tags(), after, limit + 1) : null;
        }

        private static int pageLimit(RetrieveRequest request, boolean named, int maxPage) {
            Integer limit = request.limit();
            if (named) {
                if (limit != null || request.after() != null) {
                    throw new CrateException(
                            ErrorCode.INVALID_PAGE,
                            "limit and after page a retrieve without names; names (and versions) are answered at once");
                }
                return 0;
            }
            if (limit == null) {
                return maxPage;
            }
            if (limit < 1 || limit > maxPage) {
                throw new CrateException(ErrorCode.INVALID_PAGE, "limit is 1 to " + maxPage + " secrets per page");
            }
            return limit;
        }

        private static String pageStart(String after) {
            if (after != null && !Limits.SECRET_NAME.matcher(after).matches()) {
                throw new CrateException(
                        ErrorCode.INVALID_PAGE, "after is the next of the previous page: a secret name");
            }
            return after;
        }
    }

    /**
     * The live secrets asked for that the caller sees, and the version rows to decrypt: one statement (the
     * environment check is answered by the caller cache once it is warm).
     */
    private Uni<ToRead> select(Access a, Retrieve retrieve) {
        UUID orgId = a.org().id;
        return secretVersions
                .requireEnvironment(orgId, retrieve.environment())
                .chain(() -> reader.liveWithVersions(
                        orgId,
                        retrieve.environment(),
                        retrieve.tags(),
                        retrieve.names(),
                        retrieve.pinned(),
                        retrieve.page(a)))
                .map(joined -> {
                    String next = null;
                    if (retrieve.names() == null && joined.size() > retrieve.limit()) {
                        // the page's last secret (one the caller sees: the page is read within its scope)
                        joined = joined.subList(0, retrieve.limit());
                        next = joined.get(joined.size() - 1).secret().name;
                    }
                    List<SecretRecord> rows = new ArrayList<>();
                    List<SecretVersionRecord> rowVersions = new ArrayList<>();
                    for (SecretReader.WithVersion row : joined) {
                        if (!a.sees(row.secret().tags)) {
                            continue;
                        }
                        rows.add(row.secret());
                        // destroyed versions (purged) are left out, as gone ones are; so are older versions
                        // stored under tags the caller cannot see (they are reported missing)
                        if (row.version() != null
                                && row.version().wrappedDataKey != null
                                && SecretVersions.sees(a, row.secret(), row.version())) {
                            rowVersions.add(row.version());
                        }
                    }
                    return new ToRead(rows, rowVersions, next);
                });
    }

    private static final int RETIRED_KEY_RETRIES = 3;

    /**
     * Decrypts the versions read and seals them to the client key. A key rotation that retired an org key
     * between reading the rows and loading the key makes it read the (re-wrapped) version rows again: the
     * same versions, so the audit record already committed stands.
     */
    private Uni<RetrieveResponse> openAndSeal(Access a, ToRead read, Retrieve retrieve, int retries) {
        UUID orgId = a.org().id;
        return secretVersions
                .orgKeysFor(orgId, read.versions())
                .chain(orgKeyMap -> Offload.cpu(() -> seal(retrieve, read, orgKeyMap)))
                .onFailure(RetiredOrgKeyException.class)
                .recoverWithUni(failure -> retries == 0
                        ? Uni.createFrom().failure(failure)
                        : Panache.withSession(() -> versionsToRead(a, read.rows(), retrieve.pinned()))
                                .chain(fresh -> openAndSeal(
                                        a, new ToRead(read.rows(), fresh, read.next()), retrieve, retries - 1)));
    }

    /** The secrets a retrieve returns, the version rows to decrypt and the next page's start (null: none). */
    private record ToRead(List<SecretRecord> rows, List<SecretVersionRecord> versions, String next) {}

    /** The current versions of {@code rows}, or the pinned one where asked; destroyed versions are left out. */
    private Uni<List<SecretVersionRecord>> versionsToRead(
            Access a, List<SecretRecord> rows, Map<String, Integer> pinned) {
        Map<UUID, SecretRecord> byId = new HashMap<>();
        rows.forEach(s -> byId.put(s.id, s));
        List<UUID> current = rows.stream()
                .filter(s -> !pinned.containsKey(s.name))
                .map(s -> s.id)
                .toList();
        List<SecretRecord> pinnedRows =
                rows.stream().filter(s -> pinned.containsKey(s.name)).toList();
        return versions.currentOf(current)
                .chain(found -> versions.specific(pinnedRows.stream()
                                .map(s -> new SecretVersionRepository.Wanted(s.id, pinned.get(s.name)))
                                .toList())
                        .map(more -> {
                            List<SecretVersionRecord> all = new ArrayList<>(found);
                            all.addAll(more);
                            all.removeIf(
                                    v -> v.wrappedDataKey == null || !SecretVersions.sees(a, byId.get(v.secretId), v));
                            return all;
                        }));
    }

    private AuditEntry readEntry(
            Caller caller,
            Access a,
            String environment,
            List<SecretRecord> rows,
            List<SecretVersionRecord> rowVersions) {
        Map<UUID, String> namesById = new HashMap<>();
        rows.forEach(s -> namesById.put(s.id, s.name));
        List<Map<String, Object>> read = rowVersions.stream()
                .map(v -> Map.<String, Object>of("name", namesById.get(v.secretId), "version", v.version))
                .sorted(java.util.Comparator.comparing(m -> (String) m.get("name")))
                .toList();
        AuditEntry entry = audit.entry(
                caller,
                a.org().id,
                AuditAction.SECRET_READ,
                environment,
                read.size() == 1 ? (String) read.get(0).get("name") : null,
                read.size() == 1 ? (Integer) read.get(0).get("version") : null);
        return entry.withDetail(audit.detail(Map.of("secrets", read)));
    }

    private static Map<String, Integer> pinnedVersions(Map<String, Integer> requested, int max) {
        if (requested == null) {
            return Map.of();
        }
        if (requested.size() > max) {
            throw new CrateException(ErrorCode.TOO_MANY_NAMES, "versions holds at most " + max + " entries");
        }
        Map<String, Integer> pinned = new HashMap<>();
        requested.forEach((name, version) -> {
            if (version == null || version < 1) {
                throw new CrateException(
                        ErrorCode.INVALID_VERSION, "versions maps secret names to version numbers (1 or more)");
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
        return audit.guard(
                caller,
                orgId,
                AuditAction.SECRET_DELETE,
                environment,
                name,
                () -> access.resolve(caller, orgId)
                        .invoke(a -> a.requireSecretWrite(environment))
                        .chain(a -> Panache.withTransaction(() -> secretVersions
                                .requireEnvironment(a.org().id, environment)
                                // locked, as store, restore, rollback and purge lock it: an unlocked read would
                                // write back a current_version a concurrent store has already moved on
                                .chain(() -> secrets.findForUpdate(a.org().id, environment, name))
                                .map(secret -> secret != null
                                                && secret.deletedAt == null
                                                && secret.currentVersion > 0
                                                && a.sees(secret.tags)
                                        ? secret
                                        : null)
                                .onItem()
                                .ifNull()
                                .failWith(() -> new CrateException(
                                        ErrorCode.SECRET_NOT_FOUND,
                                        "no secret " + name + " in environment " + environment))
                                .invoke(secret -> {
                                    OffsetDateTime now = Times.now();
                                    secret.deletedAt = now;
                                    secret.updatedAt = now;
                                })
                                .call(secret -> audit.append(audit.entry(
                                        caller,
                                        a.org().id,
                                        AuditAction.SECRET_DELETE,
                                        environment,
                                        name,
                                        secret.currentVersion)))
                                .call(secret -> events.record(
                                        a.org().id,
                                        environment,
                                        name,
                                        secret.currentVersion,
                                        SecretEventAction.DELETED,
                                        secret.tags))
                                .replaceWithVoid())));
    }

    private RetrieveResponse seal(Retrieve retrieve, ToRead read, Map<Integer, OrgKey> orgKeyMap) {
        List<String> names = retrieve.names();
        Map<UUID, SecretVersionRecord> byId = new HashMap<>();
        read.versions().forEach(v -> byId.put(v.secretId, v));
        List<RetrievedSecret> found = new ArrayList<>();
        LinkedHashSet<String> missing = new LinkedHashSet<>(names == null ? List.of() : names);
        for (SecretRecord secret : read.rows()) {
            SecretVersionRecord version = byId.get(secret.id);
            if (version == null || version.wrappedDataKey == null) {
                continue;
            }
            byte[] value = SecretVersions.decrypt(secret, version, orgKeyMap);
            found.add(new RetrievedSecret(
                    secret.name,
                    new String(value, StandardCharsets.UTF_8),
                    version.version,
                    Validation.sorted(secret.tags)));
            Arrays.fill(value, (byte) 0);
            missing.remove(secret.name);
        }
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(new RetrievedPayload(retrieve.environment(), found, List.copyOf(missing)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the retrieve payload");
        }
        try {
            // next is a name, never a value: it travels beside the JWE so a client can page without opening it
            RetrieveResponse sealed =
                    new RetrieveResponse(retrieve.clientKey().seal(payload, retrieve.enc()), read.next());
            metrics.secretsRetrieved(found.size());
            return sealed;
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    private static ClientKey clientKeyOf(RetrieveRequest request) {
        boolean pem = request.clientPublicKeyPem() != null;
        boolean jwk = request.clientPublicJwk() != null;
        if (pem == jwk) {
            throw new CrateException(
                    ErrorCode.INVALID_CLIENT_KEY,
                    "give exactly one of client_public_key_pem (RSA SPKI PEM) or client_public_jwk (RSA or EC P-256 JWK)");
        }
        try {
            return pem ? ClientKey.fromPem(request.clientPublicKeyPem()) : ClientKey.fromJwk(request.clientPublicJwk());
        } catch (ClientKeyException e) {
            throw new CrateException(
                    e.weak() ? ErrorCode.WEAK_CLIENT_KEY : ErrorCode.INVALID_CLIENT_KEY, e.getMessage());
        }
    }

    static void checkValue(byte[] value) {
        if (value.length == 0) {
            throw new CrateException(ErrorCode.INVALID_VALUE, "a secret value holds 1 byte to 64 KiB of UTF-8");
        }
        if (value.length > Limits.MAX_VALUE_BYTES) {
            throw new CrateException(
                    ErrorCode.VALUE_TOO_LARGE, "a secret value holds at most " + Limits.MAX_VALUE_BYTES + " bytes");
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new CrateException(ErrorCode.INVALID_VALUE, "a secret value must be valid UTF-8");
        }
    }
}
