package dev.crate.server.service;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.sealing.SealedValueOpener;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.storage.OrgKeyRecord;
import dev.crate.server.storage.OrgKeyRepository;
import dev.crate.server.storage.TransportKeyRecord;
import dev.crate.server.storage.TransportKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keyring of each org: creates its org key and transport key pair, hands out unwrapped org keys
 * and opens sealed values. Unwrapped material is cached for {@code crate.key-cache-ttl}.
 */
@ApplicationScoped
public class KeyService {
    private final RootKeyProvider rootKey;
    private final OrgKeyRepository orgKeys;
    private final TransportKeyRepository transportKeys;
    private final long ttlNanos;
    private final CrateMetrics metrics;
    private final Map<String, Cached<OrgKey>> orgKeyCache = new ConcurrentHashMap<>();
    private final Map<UUID, Cached<Transport>> transportCache = new ConcurrentHashMap<>();

    KeyService(RootKeyProvider rootKey, OrgKeyRepository orgKeys, TransportKeyRepository transportKeys, CrateConfig config,
            CrateMetrics metrics) {
        this.rootKey = rootKey;
        this.orgKeys = orgKeys;
        this.transportKeys = transportKeys;
        this.ttlNanos = config.keyCacheTtl().toNanos();
        this.metrics = metrics;
    }

    /** An org's active transport key with its unwrapped private half. */
    record Transport(String kid, byte[] publicKeyDer, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "Transport[kid=" + kid + "]";
        }
    }

    private record Cached<T>(T value, long expiresAt) {
        boolean fresh() {
            return System.nanoTime() < expiresAt;
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
        key.wrappedKey = rootKey.wrap(material, Contexts.orgKey(orgId, 1));
        key.state = OrgKeyRecord.ACTIVE;
        key.wrapCount = 1;
        key.createdAt = now;

        TransportKeyRecord transport = new TransportKeyRecord();
        transport.id = UUID.randomUUID();
        transport.orgId = orgId;
        transport.kid = pair.kid();
        transport.publicKey = pair.publicKey().getEncoded();
        transport.orgKeyVersion = 1;
        byte[] pkcs8 = pair.privateKey().getEncoded();
        transport.wrappedPrivateKey = Envelope.seal(material, Contexts.orgKeyId(1), pkcs8, Contexts.transportKey(orgId, pair.kid()));
        Arrays.fill(pkcs8, (byte) 0);
        transport.state = TransportKeyRecord.ACTIVE;
        transport.createdAt = now;
        Arrays.fill(material, (byte) 0);
        return orgKeys.persist(key).chain(() -> transportKeys.persist(transport)).replaceWithVoid();
    }

    public Uni<OrgKey> activeOrgKey(UUID orgId) {
        return Panache.withSession(() -> orgKeys.findActive(orgId))
                .onItem().ifNull().failWith(() -> new IllegalStateException("org has no active org key"))
                .map(this::unwrap);
    }

    /** A specific org key version, from cache when fresh. */
    public Uni<OrgKey> orgKey(UUID orgId, int version) {
        Cached<OrgKey> cached = orgKeyCache.get(orgId + ":" + version);
        if (cached != null && cached.fresh()) {
            return Uni.createFrom().item(cached.value());
        }
        return Panache.withSession(() -> orgKeys.findVersion(orgId, version))
                .onItem().ifNull().failWith(() -> new IllegalStateException("org key version is missing"))
                .map(this::unwrap);
    }

    private OrgKey unwrap(OrgKeyRecord record) {
        String cacheKey = record.orgId + ":" + record.version;
        Cached<OrgKey> cached = orgKeyCache.get(cacheKey);
        if (cached != null && cached.fresh()) {
            return cached.value();
        }
        byte[] material = rootKey.unwrap(record.wrappedKey, Contexts.orgKey(record.orgId, record.version));
        OrgKey key = new OrgKey(record.orgId, record.version, material);
        orgKeyCache.put(cacheKey, new Cached<>(key, System.nanoTime() + ttlNanos));
        return key;
    }

    public Uni<PublicKeyResponse> publicKey(UUID orgId) {
        return activeTransport(orgId).map(t -> new PublicKeyResponse(
                Pem.encode(TransportKeyPair.publicKeyFromDer(t.publicKeyDer())), t.kid(), Sealing.TRANSPORT_ALGORITHM));
    }

    /** Opens a value sealed to the org's transport key, on a worker thread (one RSA private operation). */
    public Uni<byte[]> openSealed(UUID orgId, String encryptedValue) {
        return activeTransport(orgId).chain(t -> Offload.cpu(() -> {
            try {
                return SealedValueOpener.open(encryptedValue, t.privateKey(), kid -> Optional.empty());
            } catch (RuntimeException e) {
                metrics.sealedValueFailure();
                throw new CrateException(ErrorCode.INVALID_SEALED_VALUE,
                        "encrypted_value cannot be opened: seal it with the organization's current public key "
                                + "(RSA-OAEP with SHA-256 and MGF1-SHA-256, base64; or a JWE RSA-OAEP-256/A256GCM with its kid)");
            }
        }));
    }

    private Uni<Transport> activeTransport(UUID orgId) {
        Cached<Transport> cached = transportCache.get(orgId);
        if (cached != null && cached.fresh()) {
            return Uni.createFrom().item(cached.value());
        }
        return Panache.withSession(() -> transportKeys.findActive(orgId))
                .onItem().ifNull().failWith(() -> new IllegalStateException("org has no active transport key"))
                .chain(record -> orgKey(orgId, record.orgKeyVersion).map(orgKey -> {
                    byte[] pkcs8 = Envelope.open(orgKey.material(), record.wrappedPrivateKey,
                            Contexts.transportKey(orgId, record.kid));
                    Transport transport = new Transport(record.kid, record.publicKey, TransportKeyPair.privateKeyFromDer(pkcs8));
                    Arrays.fill(pkcs8, (byte) 0);
                    transportCache.put(orgId, new Cached<>(transport, System.nanoTime() + ttlNanos));
                    return transport;
                }));
    }
}
