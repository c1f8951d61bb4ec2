package dev.crate.server.crypto.sealing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** An org's RSA transport key pair: the public half seals writes, the private half opens them. */
public record TransportKeyPair(String kid, PublicKey publicKey, PrivateKey privateKey) {
    public static final int BITS = 3072;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Generates a new RSA-3072 pair with a random kid. Slow (tens to hundreds of ms): keep it off event loops. */
    public static TransportKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(BITS, RSAKeyGenParameterSpec.F4), RANDOM);
            var pair = generator.generateKeyPair();
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            return new TransportKeyPair("tk-" + HexFormat.of().formatHex(id), pair.getPublic(), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is not available", e);
        }
    }

    public static PublicKey publicKeyFromDer(byte[] spki) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored transport public key is corrupt");
        }
    }

    public static PrivateKey privateKeyFromDer(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored transport private key is corrupt");
        }
    }

    @Override
    public String toString() {
        return "TransportKeyPair[kid=" + kid + "]";
    }
}
