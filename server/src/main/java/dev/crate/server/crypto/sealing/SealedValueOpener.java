package dev.crate.server.crypto.sealing;

import dev.crate.protocol.sealing.Sealing;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;

/**
 * Opens values sealed to an org's transport keys: base64 RSA-OAEP-256 (no kid) or a JWE compact
 * serialization ({@code RSA-OAEP-256} + {@code A256GCM}) whose kid selects the key.
 *
 * <p>A JWE naming the active key or a key in its grace period is opened with that key; one naming a
 * disabled key of the org fails with {@link StaleTransportKeyException} (the client must fetch the new
 * public key); an unknown kid is tried with the active key. A kid-less base64 blob is tried with the
 * active key, then each grace key.
 *
 * <p>Timing: a failing JWE costs one RSA private operation, whatever went wrong; a failing base64 blob
 * costs one per candidate key (one when no key is in its grace period, the usual case). Both end in the same
 * {@link InvalidSealedValueException}; so the time tells neither why a value failed nor which padding
 * check rejected it. The trade-off: during a grace period a failing base64 blob costs one RSA operation
 * per accepted key, and a success under a grace key takes longer than one under the active key
 * (which says only which public key the client used: public information).
 */
public final class SealedValueOpener {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedValueOpener() {}

    /** The kid of a JWE compact serialization, if the value is one and names a kid; no cryptography. */
    public static Optional<String> kidOf(String encoded) {
        if (encoded == null || encoded.chars().filter(c -> c == '.').count() != 4) {
            return Optional.empty();
        }
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setCompactSerialization(encoded);
            return Optional.ofNullable(jwe.getKeyIdHeaderValue());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Opens with the org's active key alone (no key in a grace period). */
    public static byte[] open(String encoded, PrivateKey active) {
        return open(encoded, new TransportKeyring("", active, java.util.Map.of(), java.util.Set.of()));
    }

    public static byte[] open(String encoded, TransportKeyring keys) {
        java.util.List<PrivateKey> candidates = keys.candidates();
        int rsaDone = 0;
        int budget = 1;
        try {
            if (encoded == null || encoded.isEmpty()) {
                throw new InvalidSealedValueException();
            }
            if (encoded.chars().filter(c -> c == '.').count() == 4) {
                JsonWebEncryption jwe = new JsonWebEncryption();
                jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.RSA_OAEP_256));
                jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
                jwe.setCompactSerialization(encoded);
                String kid = jwe.getKeyIdHeaderValue();
                if (kid != null && keys.disabled().contains(kid)) {
                    throw new StaleTransportKeyException();
                }
                PrivateKey key = kid == null ? keys.active() : keys.grace().getOrDefault(kid, keys.active());
                jwe.setKey(key);
                rsaDone = 1;
                return jwe.getPlaintextBytes();
            }
            budget = candidates.size();
            byte[] ciphertext = Base64.getDecoder().decode(encoded.trim());
            for (PrivateKey key : candidates) {
                Cipher cipher = Cipher.getInstance(Sealing.OAEP_TRANSFORMATION);
                cipher.init(Cipher.DECRYPT_MODE, key, Sealing.OAEP_SHA256);
                rsaDone++;
                try {
                    return cipher.doFinal(ciphertext);
                } catch (GeneralSecurityException wrongKey) {
                    // the next candidate
                }
            }
            throw new InvalidSealedValueException();
        } catch (StaleTransportKeyException e) {
            throw e;
        } catch (Exception e) {
            for (int i = rsaDone; i < budget; i++) {
                burnOneRsaOperation(keys.active());
            }
            throw new InvalidSealedValueException();
        }
    }
    /** Spends the time of the RSA decryption an early failure skipped. */
    private static void burnOneRsaOperation(PrivateKey key) {
        try {
            int bytes = ((RSAKey) key).getModulus().bitLength() / 8;
            byte[] block = new byte[bytes];
            RANDOM.nextBytes(block);
            block[0] = 0;
            Cipher cipher = Cipher.getInstance(Sealing.OAEP_TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, Sealing.OAEP_SHA256);
            cipher.doFinal(block);
        } catch (GeneralSecurityException | RuntimeException expected) {
            // the point was the time spent
        }
    }
}
