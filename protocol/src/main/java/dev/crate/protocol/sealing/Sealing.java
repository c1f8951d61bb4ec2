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
 * raw base64 RSA-OAEP (SHA-256, MGF1-SHA-256), for values up to 318 bytes, and a JWE ({@code RSA-OAEP-256} +
 * {@code A256GCM}, {@code kid} set) for any size. First-party clients bind the {@link Destination} into both
 * (an OAEP label, protected-header claims); the unbound forms remain for tests of the org setting that allows
 * them (docs/SECURITY.md).
 */
public final class Sealing {
    /** Java's "OAEPWithSHA-256AndMGF1Padding" defaults MGF1 to SHA-1; this spec is what OpenSSL and WebCrypto use. */
    public static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    public static final String OAEP_TRANSFORMATION = "RSA/ECB/OAEPPadding";
    public static final String TRANSPORT_ALGORITHM = KeyManagementAlgorithmIdentifiers.RSA_OAEP_256;

    private Sealing() {}

    /** The OAEP parameters of a raw value bound to {@code destination} (its label as {@code PSource}). */
    public static OAEPParameterSpec oaep(Destination destination) {
        return new OAEPParameterSpec(
                "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(destination.oaepLabel()));
    }

    /** Seals {@code value} as a JWE to the org key {@code kid}, bound to {@code destination}; works for any size. */
    public static String sealJwe(PublicKey orgKey, String kid, Destination destination, byte[] value) {
        return jwe(orgKey, kid, destination, value);
    }

    /** Seals {@code value} as an unbound JWE (no destination claims): accepted only where the org allows it. */
    public static String sealJwe(PublicKey orgKey, String kid, byte[] value) {
        return jwe(orgKey, kid, null, value);
    }

    private static String jwe(PublicKey orgKey, String kid, Destination destination, byte[] value) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKeyIdHeaderValue(kid);
            if (destination != null) {
                jwe.setHeader(Destination.HEADER_ORG, destination.org());
                jwe.setHeader(Destination.HEADER_ENVIRONMENT, destination.environment());
                jwe.setHeader(Destination.HEADER_NAME, destination.name());
            }
            jwe.setKey(orgKey);
            jwe.setPlaintext(value);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot seal value: " + e.getClass().getSimpleName());
        }
    }

    /** Seals {@code value} as base64 RSA-OAEP-256 bound to {@code destination} (its OAEP label); at most 318 bytes. */
    public static String sealRaw(PublicKey orgKey, Destination destination, byte[] value) {
        return raw(orgKey, oaep(destination), value);
    }

    /** Seals {@code value} as unbound base64 RSA-OAEP-256 (no label): accepted only where the org allows it. */
    public static String sealRaw(PublicKey orgKey, byte[] value) {
        return raw(orgKey, OAEP_SHA256, value);
    }

    private static String raw(PublicKey orgKey, OAEPParameterSpec spec, byte[] value) {
        try {
            Cipher cipher = Cipher.getInstance(OAEP_TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, orgKey, spec);
            return Base64.getEncoder().encodeToString(cipher.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("value cannot be sealed with raw RSA-OAEP (too large for the key?)");
        }
    }

    public static String sealJwe(String publicKeyPem, String kid, String value) {
        return sealJwe(Pem.decode(publicKeyPem, "RSA"), kid, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String sealJwe(String publicKeyPem, String kid, Destination destination, String value) {
        return sealJwe(Pem.decode(publicKeyPem, "RSA"), kid, destination, value.getBytes(StandardCharsets.UTF_8));
    }
}
