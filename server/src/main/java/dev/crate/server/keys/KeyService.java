package dev.crate.server.keys;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.sealing.Destination;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.KeyHierarchy;
import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.sealing.SealedValueMismatchException;
import dev.crate.server.crypto.sealing.SealedValueOpener;
import dev.crate.server.crypto.sealing.StaleTransportKeyException;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.crypto.sealing.TransportKeyring;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.support.Offload;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import javax.security.auth.DestroyFailedException;

/**
 * The keyring of each org: creates its org key and transport key pair, hands out unwrapped org keys
 * and opens sealed values. Unwrapped material is cached for {@code crate.key-cache-ttl}, keyed by
 * version or kid, so a rotation never makes a cached key wrong; it leaves the cache on that TTL, or at
 * once when the rotation job retires the org key version or disables the transport key, and is then
 * destroyed ({@link KeyMaterialCache}; org key bytes are zeroed). Which org key is active is read
 * (and locked) in each write's transaction; which transport keys an org accepts is looked up again
 * every {@code crate.rotation.key-refresh}, or at once when a client names a kid not seen yet.
 */
@ApplicationScoped
public class KeyService {
    private final RootKeyProvider rootKey;
    private final OrgKeyRepository orgKeys;
    private final TransportKeyRepository transportKeys;
    private final CrateMetrics metrics;
    /** Unwrapped org keys by "org id:version"; evicted keys are zeroed. */
    private final KeyMaterialCache<String, OrgKey> orgKeyCache;
    /** Transport keys with their private halves by kid. */
    private final KeyMaterialCache<String, Transport> transportCache;
    /** Which transport keys an org accepts (references to {@code transportCache}'s material). */
    private final KeyMaterialCache<UUID, Keyring> keyringCache;

    @Inject
    KeyService(
            RootKeyProvider rootKey,
            OrgKeyRepository orgKeys,
            TransportKeyRepository transportKeys,
            CrateConfig config,
            CrateMetrics metrics) {
        this(rootKey, orgKeys, transportKeys, config, metrics, System::nanoTime);
    }

    /** With the clock the caches read ({@code System::nanoTime} in production). */
    KeyService(
            RootKeyProvider rootKey,
            OrgKeyRepository orgKeys,
            TransportKeyRepository transportKeys,
            CrateConfig config,
            CrateMetrics metrics,
            LongSupplier nanoClock) {
        this.rootKey = rootKey;
        this.orgKeys = orgKeys;
        this.transportKeys = transportKeys;
        this.metrics = metrics;
        Duration ttl = config.keyCacheTtl();
        Duration refresh = config.rotation().keyRefresh();
        this.orgKeyCache = new KeyMaterialCache<>(ttl, nanoClock, KeyService::zero);
        this.transportCache = new KeyMaterialCache<>(ttl, nanoClock, t -> destroy(t.privateKey()));
        this.keyringCache = new KeyMaterialCache<>(refresh.compareTo(ttl) < 0 ? refresh : ttl, nanoClock, k -> {});
    }

    /**
     * Evicts what outlived {@code crate.key-cache-ttl} and destroys what was evicted before the previous
     * sweep (so a request that just took a key is done with it first).
     */
    @Scheduled(identity = "crate-key-cache-sweep", every = "${crate.key-cache-sweep:30s}")
    void sweep() {
        orgKeyCache.sweep();
        transportCache.sweep();
        keyringCache.sweep();
    }

    @PreDestroy
    void destroyAll() {
        orgKeyCache.clear();
        transportCache.clear();
        keyringCache.clear();
    }

    /** The rotation job retired an org key version: its unwrapped copy leaves this replica's cache now. */
    public void orgKeyRetired(UUID orgId, int version) {
        String key = orgId + ":" + version;
        orgKeyCache.evictIf(key::equals);
    }

    /** The rotation job disabled a transport key: its private half leaves this replica's cache now. */
    public void transportKeyDisabled(UUID orgId, String kid) {
        transportCache.evictIf(kid::equals);
        keyringCache.evictIf(orgId::equals);
    }

    /** Whether this replica holds org key {@code version} of an org unwrapped (tests, docs/SECURITY.md). */
    public boolean holdsOrgKey(UUID orgId, int version) {
        return orgKeyCache.contains(orgId + ":" + version);
    }

    private static void zero(OrgKey key) {
        Arrays.fill(key.material(), (byte) 0);
    }

    /** Provider keys mostly cannot be destroyed (docs/SECURITY.md, "Keys in memory"); the reference goes. */
    private static void destroy(PrivateKey key) {
        try {
            if (!key.isDestroyed()) {
                key.destroy();
            }
        } catch (DestroyFailedException | RuntimeException e) {
            // the JDK's RSA keys do not implement destroy(); nothing more can be done here
        }
    }

    /** An org's active transport key with its unwrapped private half. */
    record Transport(String kid, byte[] publicKeyDer, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "Transport[kid=" + kid + "]";
        }
    }

    /** Generates an RSA-3072 transport pair on a worker thread. */
    public Uni<TransportKeyPair> newTransportKeyPair() {
        return Offload.cpu(TransportKeyPair::generate);
    }

    /** Inside the caller's transaction: org key version 1 and the given transport pair for a new org. */
    public Uni<Void> provision(UUID orgId, TransportKeyPair pair) {
        OffsetDateTime now = Times.now();
        byte[] material = Aead.newKey();
        OrgKeyRecord key = new OrgKeyRecord();
        key.id = UUID.randomUUID();
        key.orgId = orgId;
        key.version = 1;
        key.rootKid = rootKey.activeKid();
        key.wrappedKey = KeyHierarchy.wrapOrgKey(rootKey, orgId, 1, material);
        key.state = OrgKeyState.ACTIVE;
        key.wrapCount = 1;
        key.createdAt = now;

        TransportKeyRecord transport = new TransportKeyRecord();
        transport.id = UUID.randomUUID();
        transport.orgId = orgId;
        transport.kid = pair.kid();
        transport.publicKey = pair.publicKey().getEncoded();
        transport.orgKeyVersion = 1;
        byte[] pkcs8 = pair.privateKey().getEncoded();
        transport.wrappedPrivateKey = KeyHierarchy.wrapTransportKey(new OrgKey(orgId, 1, material), pair.kid(), pkcs8);
        Arrays.fill(pkcs8, (byte) 0);
        transport.state = TransportKeyState.ACTIVE;
        transport.createdAt = now;
        Arrays.fill(material, (byte) 0);
        return orgKeys.persist(key)
                .chain(() -> transportKeys.persist(transport))
                .replaceWithVoid();
    }

    /**
     * Inside the caller's transaction: the org key new data keys are wrapped under, with its row locked
     * and its wrap count raised by one. The lock makes a rotation wait until this transaction is over,
     * so a key wrapped here under the old version is committed before the re-wrap job starts looking
     * for such keys; once a rotation has committed, this reads the new version.
     */
    public Uni<OrgKey> claimActiveOrgKey(UUID orgId) {
        return lockedActiveRecord(orgId).map(record -> {
            record.wrapCount++;
            return unwrap(record);
        });
    }

    /**
     * Inside the transaction the caller holds on {@code connection} (the batched store path): the org key
     * the next {@code wraps} data keys are wrapped under, its wrap count raised by {@code wraps} and its row
     * locked until that transaction ends, in one statement. Same guarantee as {@link #claimActiveOrgKey}: a
     * rotation waits for the lock; an {@code update} that waited for a rotation re-checks {@code state} on
     * the row the rotation left (READ COMMITTED), so it never counts on a retired version, and the statement
     * runs once more to find the new active row.
     */
    public Uni<OrgKey> claimActiveOrgKey(SqlConnection connection, UUID orgId, int wraps) {
        return claimOnce(connection, orgId, wraps)
                .chain(found -> found != null ? Uni.createFrom().item(found) : claimOnce(connection, orgId, wraps))
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("org has no active org key"))
                .map(this::unwrap);
    }

    private static Uni<OrgKeyRecord> claimOnce(SqlConnection connection, UUID orgId, int wraps) {
        return connection
                .preparedQuery("update org_keys set wrap_count = wrap_count + $2 where org_id = $1 and state = "
                        + OrgKeyState.ACTIVE.literal() + " returning version, wrapped_key")
                .execute(Tuple.of(orgId, (long) wraps))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    OrgKeyRecord record = new OrgKeyRecord();
                    record.orgId = orgId;
                    record.version = row.getInteger("version");
                    record.wrappedKey = row.getBuffer("wrapped_key").getBytes();
                    record.state = OrgKeyState.ACTIVE;
                    return record;
                });
    }

    /**
     * Inside the caller's transaction: the active org key with its row locked, for other material keyed
     * by its version (the audit checkpoint's MAC); a rotation waits, and its job then moves that material.
     */
    public Uni<OrgKey> lockActiveOrgKey(UUID orgId) {
        return lockedActiveRecord(orgId).map(this::unwrap);
    }

    private Uni<OrgKeyRecord> lockedActiveRecord(UUID orgId) {
        return orgKeys.lockActive(orgId)
                // A rotation that committed while we waited for the lock: the active row is another one now.
                .chain(found -> found != null ? Uni.createFrom().item(found) : orgKeys.lockActive(orgId))
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("org has no active org key"));
    }

    /** A specific org key version, from cache when fresh. */
    public Uni<OrgKey> orgKey(UUID orgId, int version) {
        OrgKey cached = orgKeyCache.get(orgId + ":" + version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return Panache.withSession(() -> orgKeys.findVersion(orgId, version))
                .onItem()
                .ifNull()
                .failWith(() -> new IllegalStateException("org key version is missing"))
                .map(this::unwrap);
    }

    private OrgKey unwrap(OrgKeyRecord record) {
        String cacheKey = record.orgId + ":" + record.version;
        OrgKey cached = orgKeyCache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        if (record.state == OrgKeyState.RETIRED) {
            // Re-wrapped and destroyed between reading a row that named it and getting here: read again.
            throw new RetiredOrgKeyException();
        }
        OrgKey key = KeyHierarchy.unwrapOrgKey(rootKey, record.orgId, record.version, record.wrappedKey);
        orgKeyCache.put(cacheKey, key);
        return key;
    }

    public Uni<PublicKeyResponse> publicKey(UUID orgId) {
        return keyring(orgId, false).map(k -> {
            Transport active = k.active();
            return new PublicKeyResponse(
                    Pem.encode(TransportKeyPair.publicKeyFromDer(active.publicKeyDer())),
                    active.kid(),
                    Sealing.TRANSPORT_ALGORITHM);
        });
    }

    /**
     * Opens a value sealed to one of the org's transport keys, on a worker thread: the active key, or a
     * key in its grace period. A JWE naming a disabled key answers {@code transport_key_expired}.
     */
    public Uni<SealedValueOpener.Opened> openSealed(
            UUID orgId, String encryptedValue, Destination destination, boolean allowUnbound) {
        Optional<String> kid = SealedValueOpener.kidOf(encryptedValue);
        return keyring(orgId, false)
                // A kid this replica has not seen yet: another replica may just have rotated; look again.
                .chain(k -> kid.isPresent() && !k.ring().knows(kid.get())
                        ? keyring(orgId, true)
                        : Uni.createFrom().item(k))
                .chain(k -> Offload.cpu(() -> {
                    try {
                        return SealedValueOpener.open(encryptedValue, k.ring(), destination, allowUnbound);
                    } catch (SealedValueMismatchException e) {
                        metrics.sealedValueFailure();
                        throw new CrateException(
                                ErrorCode.SEALED_VALUE_MISMATCH,
                                e.unbound()
                                        ? "the value is not bound to its destination and this organization refuses unbound "
                                                + "values: seal it with the crate_org, crate_env and crate_name header "
                                                + "claims (docs/API.md, section 6)"
                                        : "the value was sealed for another organization, environment or secret name: seal "
                                                + "it for this destination (docs/API.md, section 6)");
                    } catch (StaleTransportKeyException e) {
                        metrics.sealedValueFailure();
                        throw new CrateException(
                                ErrorCode.TRANSPORT_KEY_EXPIRED,
                                "the value was sealed to a transport key whose grace period is over: fetch the organization's "
                                        + "public key again (GET /organization/{id}/secrets/public-key) and seal with it");
                    } catch (RuntimeException e) {
                        metrics.sealedValueFailure();
                        throw new CrateException(
                                ErrorCode.INVALID_SEALED_VALUE,
                                "encrypted_value cannot be opened for this destination: seal it with the organization's "
                                        + "current public key (RSA-OAEP with SHA-256, MGF1-SHA-256 and the label "
                                        + "crate/v1/<org>/<environment>/<name>, base64; or a JWE RSA-OAEP-256/A256GCM "
                                        + "with its kid and destination claims; docs/API.md, section 6)");
                    }
                }));
    }

    /** Forgets this replica's view of an org's transport keys (after a rotation it ran itself). */
    public void forgetTransportKeys(UUID orgId) {
        keyringCache.evictIf(orgId::equals);
    }

    private record Keyring(Transport active, TransportKeyring ring) {}

    private Uni<Keyring> keyring(UUID orgId, boolean reload) {
        Keyring cached = keyringCache.get(orgId);
        if (!reload && cached != null) {
            return Uni.createFrom().item(cached);
        }
        return Panache.withSession(() -> transportKeys.listForOrg(orgId))
                .chain(rows -> loadKeyring(orgId, rows))
                .onFailure(RetiredOrgKeyException.class)
                .retry()
                .atMost(2)
                .invoke(k -> keyringCache.put(orgId, k));
    }

    private Uni<Keyring> loadKeyring(UUID orgId, List<TransportKeyRecord> rows) {
        OffsetDateTime now = Times.now();
        TransportKeyRecord active = null;
        List<TransportKeyRecord> usable = new ArrayList<>();
        Set<String> disabled = new HashSet<>();
        for (TransportKeyRecord row : rows) {
            if (row.state == TransportKeyState.ACTIVE) {
                active = row;
                usable.add(row);
            } else if (row.state == TransportKeyState.GRACE && row.graceUntil != null && row.graceUntil.isAfter(now)) {
                usable.add(row);
            } else {
                disabled.add(row.kid);
            }
        }
        if (active == null) {
            return Uni.createFrom().failure(new IllegalStateException("org has no active transport key"));
        }
        TransportKeyRecord activeRow = active;
        List<Uni<Transport>> loads =
                usable.stream().map(row -> transport(orgId, row)).toList();
        return Uni.join().all(loads).andFailFast().map(transports -> {
            Transport activeTransport = null;
            Map<String, PrivateKey> grace = new LinkedHashMap<>();
            for (Transport t : transports) {
                if (t.kid().equals(activeRow.kid)) {
                    activeTransport = t;
                } else {
                    grace.put(t.kid(), t.privateKey());
                }
            }
            return new Keyring(
                    activeTransport,
                    new TransportKeyring(activeRow.kid, activeTransport.privateKey(), grace, disabled));
        });
    }

    /** One transport key with its private half, unwrapped once per {@code crate.key-cache-ttl}. */
    private Uni<Transport> transport(UUID orgId, TransportKeyRecord record) {
        Transport cached = transportCache.get(record.kid);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return orgKey(orgId, record.orgKeyVersion).map(orgKey -> {
            byte[] pkcs8 = KeyHierarchy.unwrapTransportKey(orgKey, record.kid, record.wrappedPrivateKey);
            Transport transport =
                    new Transport(record.kid, record.publicKey, TransportKeyPair.privateKeyFromDer(pkcs8));
            Arrays.fill(pkcs8, (byte) 0);
            transportCache.put(record.kid, transport);
            return transport;
        });
    }
}
