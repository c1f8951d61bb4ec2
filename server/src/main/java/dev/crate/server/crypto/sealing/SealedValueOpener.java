package dev.crate.server.crypto.sealing;

import dev.crate.protocol.sealing.Sealing;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Cipher;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;

/**
 * Opens values sealed to an org's transport key: base64 RSA-OAEP-256 (no kid: the active key) or a
 * JWE compact serialization ({@code RSA-OAEP-256} + {@code A256GCM}, kid selects the key).
 * Every failure, early or late, costs one RSA private operation and ends in the same
 * {@link InvalidSealedValueException}, so neither the answer nor its timing tells why.
 */
public final class SealedValueOpener {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedValueOpener() {
    }

    /**
     * @param active the org's active transport private key
     * @param byKid  other keys the org still accepts (grace period), looked up by a JWE's kid
     */
    public static byte[] open(String encoded, PrivateKey active, Function<String, Optional<PrivateKey>> byKid) {
        boolean rsaDone = false;
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
                PrivateKey key = kid == null ? active : byKid.apply(kid).orElse(active);
                jwe.setKey(key);
                rsaDone = true;
                return jwe.getPlaintextBytes();
            }
            byte[] ciphertext = Base64.getDecoder().decode(encoded.trim());
            Cipher cipher = Cipher.getInstance(Sealing.OAEP_TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, active, Sealing.OAEP_SHA256);
            rsaDone = true;
            return cipher.doFinal(ciphertext);
        } catch (Exception e) {
            if (!rsaDone) {
                burnOneRsaOperation(active);
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
