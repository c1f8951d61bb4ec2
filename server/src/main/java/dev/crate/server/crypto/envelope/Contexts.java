package dev.crate.server.crypto.envelope;

import java.util.UUID;

/**
 * The associated-data context of each kind of blob (ARCHITECTURE.md, section 3.2). Each starts with a purpose label,
 * so a blob of one kind can never be opened as another.
 */
public final class Contexts {
    private Contexts() {}

    /** A secret value, encrypted under its data key. */
    public static byte[] value(UUID orgId, String environment, String name, int version) {
        return Aad.of("crate/value", orgId, environment, name, version);
    }

    /** A data key, wrapped by an org key. */
    public static byte[] dataKey(UUID orgId, UUID secretId, int version) {
        return Aad.of("crate/data-key", orgId, secretId, version);
    }

    /** An org key, wrapped by the root key. */
    public static byte[] orgKey(UUID orgId, int orgKeyVersion) {
        return Aad.of("crate/org-key", orgId, orgKeyVersion);
    }

    /** An org's transport private key (PKCS#8), wrapped by an org key. */
    public static byte[] transportKey(UUID orgId, String kid) {
        return Aad.of("crate/transport-key", orgId, kid);
    }

    /** The key id an org key version is written under in envelope headers. */
    public static String orgKeyId(int orgKeyVersion) {
        return "org-v" + orgKeyVersion;
    }

    public static int orgKeyVersion(String keyId) {
        if (!keyId.startsWith("org-v")) {
            throw new dev.crate.server.crypto.aead.DecryptionException();
        }
        try {
            return Integer.parseInt(keyId.substring(5));
        } catch (NumberFormatException e) {
            throw new dev.crate.server.crypto.aead.DecryptionException();
        }
    }
}
