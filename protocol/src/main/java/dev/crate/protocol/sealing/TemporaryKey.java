package dev.crate.protocol.sealing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * A client's one-use key pair for a sealed retrieval: EC P-256 (ECDH-ES + A256GCM). The public half
 * goes to the server as a JWK; the private half opens the answer and is dropped with this object.
 */
public final class TemporaryKey {
    private final KeyPair pair;

    private TemporaryKey(KeyPair pair) {
        this.pair = pair;
    }

    public static TemporaryKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TemporaryKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JVM", e);
        }
    }

    /** The public JWK to send as {@code client_public_jwk}. */
    public Map<String, Object> publicJwk() {
        EllipticCurveJsonWebKey jwk = (EllipticCurveJsonWebKey) toJwk();
        return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Opens the server's {@code sealed_payload}; only ECDH-ES with A256GCM is accepted. */
    public byte[] open(String sealedPayload) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.ECDH_ES));
            jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
            jwe.setCompactSerialization(sealedPayload);
            jwe.setKey(pair.getPrivate());
            return jwe.getPlaintextBytes();
        } catch (JoseException e) {
            throw new IllegalArgumentException("sealed payload cannot be opened with this temporary key");
        }
    }

    private JsonWebKey toJwk() {
        try {
            return JsonWebKey.Factory.newJwk(pair.getPublic());
        } catch (JoseException e) {
            throw new IllegalStateException("cannot express the key as a JWK", e);
        }
    }
}
