package dev.crate.protocol.sealing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * Sealing a value to an org's transport key, the client half of ARCHITECTURE.md, section 3.3. Two encodings:
 * raw base64 RSA-OAEP (SHA-256, MGF1-SHA-256) as the Crate docs describe, for values up to
 * 318 bytes, and a JWE ({@code RSA-OAEP-256} + {@code A256GCM}, {@code kid} set) for any size.
 */
public final class Sealing {
    /** Java's "OAEPWithSHA-256AndMGF1Padding" defaults MGF1 to SHA-1; this spec is what OpenSSL and WebCrypto use. */
    public static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    public static final String OAEP_TRANSFORMATION = "RSA/ECB/OAEPPadding";
    public static final String TRANSPORT_ALGORITHM = KeyManagementAlgorithmIdentifiers.RSA_OAEP_256;

    private Sealing() {}

    /** Seals {@code value} as a JWE to the org key {@code kid}; works for any size. */
    public static String sealJwe(PublicKey orgKey, String kid, byte[] value) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKeyIdHeaderValue(kid);
            jwe.setKey(orgKey);
            jwe.setPlaintext(value);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot seal value: " + e.getClass().getSimpleName());
        }
    }

    /** Seals {@code value} as base64 RSA-OAEP-256 (the Crate docs' format); at most 318 bytes under RSA-3072. */
    public static String sealRaw(PublicKey orgKey, byte[] value) {
        try {
            Cipher cipher = Cipher.getInstance(OAEP_TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, orgKey, OAEP_SHA256);
            return Base64.getEncoder().encodeToString(cipher.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("value cannot be sealed with raw RSA-OAEP (too large for the key?)");
        }
    }

    public static String sealJwe(String publicKeyPem, String kid, String value) {
        return sealJwe(Pem.decode(publicKeyPem, "RSA"), kid, value.getBytes(StandardCharsets.UTF_8));
    }
}
