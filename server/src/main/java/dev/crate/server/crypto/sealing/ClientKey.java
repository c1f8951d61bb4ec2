package dev.crate.server.crypto.sealing;

import dev.crate.protocol.Limits;
import dev.crate.protocol.sealing.Pem;
import java.math.BigInteger;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A retrieve request's temporary client public key: RSA (≥ 2048 bits, PEM or JWK) answered with
 * {@code RSA-OAEP-256}, or EC P-256 (JWK) answered with {@code ECDH-ES}; content always {@code A256GCM}.
 */
public final class ClientKey {
    private final Key key;
    private final String algorithm;

    private ClientKey(Key key, String algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    public static ClientKey fromPem(String pem) {
        PublicKey key;
        try {
            key = Pem.decode(pem, "RSA");
        } catch (IllegalArgumentException e) {
            throw new ClientKeyException("client_public_key_pem: " + e.getMessage(), false);
        }
        return rsa((RSAPublicKey) key);
    }

    public static ClientKey fromJwk(Map<String, Object> jwk) {
        if (jwk.containsKey("d") || jwk.containsKey("p") || jwk.containsKey("k")) {
            throw new ClientKeyException(
                    "client_public_jwk must hold a public key only; never send private key material", false);
        }
        JsonWebKey parsed;
        try {
            parsed = JsonWebKey.Factory.newJwk(jwk);
        } catch (JoseException | RuntimeException e) {
            throw new ClientKeyException("client_public_jwk is not a valid RSA or EC JWK", false);
        }
        if (parsed instanceof RsaJsonWebKey rsa) {
            return rsa(rsa.getRsaPublicKey());
        }
        if (parsed instanceof EllipticCurveJsonWebKey ec) {
            if (!EllipticCurves.P256.equals(ec.getCurveName()) && !"P-256".equals(ec.getCurveName())) {
                throw new ClientKeyException("client_public_jwk: only the EC curve P-256 is accepted", true);
            }
            ECPublicKey publicKey = ec.getECPublicKey();
            if (!onP256(publicKey.getW())) {
                throw new ClientKeyException("client_public_jwk: the point (x, y) is not on the curve P-256", false);
            }
            return new ClientKey(publicKey, KeyManagementAlgorithmIdentifiers.ECDH_ES);
        }
        throw new ClientKeyException("client_public_jwk must be an RSA or EC P-256 key", false);
    }

    /**
     * An invalid point would fail only when the answer is sealed, after the values were read and the
     * read audited; worse, a point off the curve is the start of an invalid-curve attack on ECDH.
     * P-256 has cofactor 1, so a point on the curve is in the group.
     */
    private static boolean onP256(ECPoint point) {
        if (point == null || ECPoint.POINT_INFINITY.equals(point)) {
            return false;
        }
        EllipticCurve curve = EllipticCurves.P256.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right =
                x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    /**
     * Besides the size, the shape of the numbers: RSA-OAEP to an even modulus or to the exponent 1 (or
     * any even one) is no encryption a client could have meant, and exponent 1 sends the padded value in clear.
     */
    private static ClientKey rsa(RSAPublicKey key) {
        BigInteger modulus = key.getModulus();
        BigInteger exponent = key.getPublicExponent();
        int bits = modulus.bitLength();
        if (bits < Limits.MIN_CLIENT_RSA_BITS) {
            throw new ClientKeyException(
                    "client RSA key has " + bits + " bits; at least " + Limits.MIN_CLIENT_RSA_BITS + " are required",
                    true);
        }
        if (!modulus.testBit(0)) {
            throw new ClientKeyException("client RSA key: the modulus must be odd", false);
        }
        if (exponent.compareTo(BigInteger.ONE) <= 0 || !exponent.testBit(0) || exponent.compareTo(modulus) >= 0) {
            throw new ClientKeyException(
                    "client RSA key: the public exponent must be odd, greater than 1 and below the modulus", false);
        }
        return new ClientKey(key, KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
    }

    public String algorithm() {
        return algorithm;
    }

    /** The content encryptions a client may ask for; A256GCM unless it says otherwise. */
    public static boolean supportedEnc(String enc) {
        return ContentEncryptionAlgorithmIdentifiers.AES_256_GCM.equals(enc)
                || ContentEncryptionAlgorithmIdentifiers.AES_256_CBC_HMAC_SHA_512.equals(enc);
    }

    /** Encrypts {@code payload} to this key as a JWE compact serialization with content encryption {@code enc}. */
    public String seal(byte[] payload, String enc) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(algorithm);
            jwe.setEncryptionMethodHeaderParameter(enc);
            jwe.setContentTypeHeaderValue("application/json");
            jwe.setKey(key);
            jwe.setPlaintext(payload);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new ClientKeyException("the client key cannot be used for encryption", false);
        }
    }
}
