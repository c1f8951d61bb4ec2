package dev.crate.server.crypto;

import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.domain.OrgKey;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The key hierarchy's choke point (ARCHITECTURE.md, section 3): together with {@link SecretCipher}
 * (tier 3) the only code outside the crypto primitives that builds an AAD context, asks the root key
 * to wrap or unwrap, or seals and opens a key blob. Key management (provisioning, start-up checks,
 * rotations, re-wraps) calls it and handles rows and locks only, so every blob's binding to its org,
 * version, secret or kid is written once, here. Material handed out is the caller's to zero.
 */
public final class KeyHierarchy {
    private KeyHierarchy() {}

    /** Tier 1: fresh org key material for version {@code version}, wrapped by the active root key. */
    public static byte[] wrapOrgKey(RootKeyProvider rootKey, UUID orgId, int version, byte[] material) {
        return rootKey.wrap(material, Contexts.orgKey(orgId, version));
    }

    /**
     * Tier 1: an org key version, unwrapped by whichever root key its blob names.
     *
     * @throws dev.crate.server.crypto.rootkey.UnknownRootKeyException when that root key is not configured
     * @throws dev.crate.server.crypto.aead.DecryptionException when the blob does not authenticate
     */
    public static OrgKey unwrapOrgKey(RootKeyProvider rootKey, UUID orgId, int version, byte[] wrapped) {
        return new OrgKey(orgId, version, rootKey.unwrap(wrapped, Contexts.orgKey(orgId, version)));
    }

    /** Tier 1: an org key version re-wrapped under the active root key (root-key rotation). */
    public static byte[] rewrapOrgKey(RootKeyProvider rootKey, UUID orgId, int version, byte[] wrapped) {
        byte[] context = Contexts.orgKey(orgId, version);
        byte[] material = rootKey.unwrap(wrapped, context);
        try {
            return rootKey.wrap(material, context);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** Tier 2: an org's transport private key (PKCS#8), wrapped by an org key version. */
    public static byte[] wrapTransportKey(OrgKey orgKey, String kid, byte[] pkcs8) {
        return Envelope.seal(
                orgKey.material(),
                Contexts.orgKeyId(orgKey.version()),
                pkcs8,
                Contexts.transportKey(orgKey.orgId(), kid));
    }

    /** Tier 2: the PKCS#8 bytes of a transport private key wrapped by {@code orgKey}. */
    public static byte[] unwrapTransportKey(OrgKey orgKey, String kid, byte[] wrapped) {
        return Envelope.open(orgKey.material(), wrapped, Contexts.transportKey(orgKey.orgId(), kid));
    }

    /** Tier 2: a transport private key wrapped by {@code from}, re-wrapped under {@code to} (org-key rotation). */
    public static byte[] rewrapTransportKey(OrgKey from, OrgKey to, String kid, byte[] wrapped) {
        byte[] pkcs8 = unwrapTransportKey(from, kid, wrapped);
        try {
            return wrapTransportKey(to, kid, pkcs8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The org key version a wrapped data key names in its header (not authenticated until opened). */
    public static int orgKeyVersionOf(byte[] wrappedDataKey) {
        return Contexts.orgKeyVersion(Envelope.keyId(wrappedDataKey));
    }

    /**
     * Tier 2: a data key re-wrapped under {@code to} (org-key rotation); {@code orgKeys} supplies the
     * version its blob names. The ciphertext it protects is not touched.
     */
    public static byte[] rewrapDataKey(
            IntFunction<OrgKey> orgKeys, OrgKey to, UUID secretId, int version, byte[] wrapped) {
        byte[] context = Contexts.dataKey(to.orgId(), secretId, version);
        OrgKey from = orgKeys.apply(orgKeyVersionOf(wrapped));
        byte[] dataKey = Envelope.open(from.material(), wrapped, context);
        try {
            return Envelope.seal(to.material(), Contexts.orgKeyId(to.version()), dataKey, context);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }
}
