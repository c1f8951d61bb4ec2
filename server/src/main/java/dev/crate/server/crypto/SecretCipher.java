package dev.crate.server.crypto;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.domain.OrgKey;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Tier 3: encrypts one secret version under a fresh data key and wraps that key with the org key.
 * Both blobs are bound to where they belong (org, environment, name, secret, version).
 */
public final class SecretCipher {
    private static final String DATA_KEY_ID = "dk";

    private SecretCipher() {}

    /** The stored form of one version. */
    public record Encrypted(int orgKeyVersion, byte[] wrappedDataKey, byte[] ciphertext) {}

    public static Encrypted encrypt(
            OrgKey orgKey, UUID secretId, String environment, String name, int version, byte[] value) {
        byte[] dataKey = Aead.newKey();
        try {
            byte[] ciphertext = Envelope.seal(
                    dataKey, DATA_KEY_ID, value, Contexts.value(orgKey.orgId(), environment, name, version));
            byte[] wrapped = Envelope.seal(
                    orgKey.material(),
                    Contexts.orgKeyId(orgKey.version()),
                    dataKey,
                    Contexts.dataKey(orgKey.orgId(), secretId, version));
            return new Encrypted(orgKey.version(), wrapped, ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts one version; {@code orgKeys} supplies the org key version the blob's header names.
     *
     * @throws dev.crate.server.crypto.aead.DecryptionException when anything does not authenticate
     */
    public static byte[] decrypt(
            UUID orgId,
            IntFunction<OrgKey> orgKeys,
            UUID secretId,
            String environment,
            String name,
            int version,
            byte[] wrappedDataKey,
            byte[] ciphertext) {
        OrgKey orgKey = orgKeys.apply(Contexts.orgKeyVersion(Envelope.keyId(wrappedDataKey)));
        byte[] dataKey = Envelope.open(orgKey.material(), wrappedDataKey, Contexts.dataKey(orgId, secretId, version));
        try {
            return Envelope.open(dataKey, ciphertext, Contexts.value(orgId, environment, name, version));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }
}
