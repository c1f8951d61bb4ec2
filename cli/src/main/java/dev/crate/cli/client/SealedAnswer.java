package dev.crate.cli.client;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The lean path's temporary key for one sealed retrieval, with the JDK's own crypto only (no jose4j, whose
 * start costs a one-shot command ~120 classes and its algorithm probing): an EC P-256 key pair whose public
 * half goes to the server as a JWK, and the opening of the server's answer, a JWE compact serialization with
 * {@code alg} ECDH-ES (direct key agreement) and {@code enc} A256GCM (RFC 7516, RFC 7518 sections 4.6 and
 * 5.3). Anything else (another algorithm, compression, a critical header, a key on another curve) is refused.
 * {@code dev.crate.protocol.sealing.TemporaryKey} does the same through jose4j; tests hold the two to
 * each other.
 */
public final class SealedAnswer {
    private static final String CURVE = "secp256r1";
    private static final int COORDINATE_BYTES = 32;

    private final KeyPair pair;

    private SealedAnswer(KeyPair pair) {
        this.pair = pair;
    }

    /** A fresh key pair. */
    public static SealedAnswer generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return new SealedAnswer(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JVM", e);
        }
    }

    /** The public JWK to send as {@code client_public_jwk}: {@code kty}, {@code crv}, {@code x}, {@code y}. */
    public Map<String, Object> publicJwk() {
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("x", base64url(unsigned(w.getAffineX())));
        jwk.put("y", base64url(unsigned(w.getAffineY())));
        jwk.put("crv", "P-256");
        return jwk;
    }

    /**
     * Opens a {@code sealed_payload}; an answer that is not such a JWE to this key, or was altered, is an
     * {@link IllegalArgumentException} that names nothing of its content.
     */
    public byte[] open(String compact) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 5) {
            throw refused("not a JWE compact serialization");
        }
        try {
            Map<String, Object> header = LeanJson.parseObject(new String(decode(parts[0]), StandardCharsets.UTF_8));
            if (!"ECDH-ES".equals(header.get("alg")) || !"A256GCM".equals(header.get("enc"))) {
                throw refused("only ECDH-ES with A256GCM is accepted");
            }
            if (header.containsKey("zip") || header.containsKey("crit") || !parts[1].isEmpty()) {
                throw refused("unsupported JWE header");
            }
            byte[] z = agree(header.get("epk"));
            byte[] cek = concatKdf(z, "A256GCM", bytes(header.get("apu")), bytes(header.get("apv")), 256);
            Arrays.fill(z, (byte) 0);
            byte[] iv = decode(parts[2]);
            byte[] ciphertext = decode(parts[3]);
            byte[] tag = decode(parts[4]);
            if (iv.length != 12 || tag.length != 16) {
                throw refused("bad IV or tag length");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, iv));
            Arrays.fill(cek, (byte) 0);
            cipher.updateAAD(parts[0].getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
            System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
            return cipher.doFinal(sealed);
        } catch (GeneralSecurityException | LeanJson.MalformedException | ClassCastException e) {
            throw refused("cannot be opened with this temporary key");
        }
    }

    /** ECDH with the answer's ephemeral key, which must be a P-256 point (the JDK checks it lies on the curve). */
    private byte[] agree(Object epk) throws GeneralSecurityException {
        if (!(epk instanceof Map<?, ?> jwk) || !"EC".equals(jwk.get("kty")) || !"P-256".equals(jwk.get("crv"))) {
            throw refused("the ephemeral key is not an EC P-256 JWK");
        }
        byte[] x = bytes(jwk.get("x"));
        byte[] y = bytes(jwk.get("y"));
        if (x.length != COORDINATE_BYTES || y.length != COORDINATE_BYTES) {
            throw refused("the ephemeral key's coordinates are not 32 bytes");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(CURVE));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        PublicKey ephemeral = KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), spec));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(pair.getPrivate());
        agreement.doPhase(ephemeral, true);
        return agreement.generateSecret();
    }

    /**
     * RFC 7518 section 4.6.2: the Concat KDF (NIST SP 800-56A) with SHA-256 for a key of {@code bits} (at most
     * 256: one round). AlgorithmID is {@code enc} in direct key agreement.
     */
    public static byte[] concatKdf(byte[] z, String algorithm, byte[] apu, byte[] apv, int bits)
            throws GeneralSecurityException {
        if (bits > 256 || bits % 8 != 0) {
            throw new IllegalArgumentException("one round of SHA-256 makes at most 256 bits");
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        writeInt(input, 1);
        input.writeBytes(z);
        byte[] id = algorithm.getBytes(StandardCharsets.US_ASCII);
        writeInt(input, id.length);
        input.writeBytes(id);
        writeInt(input, apu.length);
        input.writeBytes(apu);
        writeInt(input, apv.length);
        input.writeBytes(apv);
        writeInt(input, bits);
        return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(input.toByteArray()), bits / 8);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static byte[] bytes(Object base64url) {
        if (base64url == null) {
            return new byte[0];
        }
        if (!(base64url instanceof String text)) {
            throw refused("a header field is not a string");
        }
        return decode(text);
    }

    private static byte[] decode(String base64url) {
        try {
            return Base64.getUrlDecoder().decode(base64url);
        } catch (IllegalArgumentException e) {
            throw refused("not base64url");
        }
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A coordinate as exactly 32 big-endian bytes (BigInteger adds a sign byte or drops leading zeros). */
    private static byte[] unsigned(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[COORDINATE_BYTES];
        int copy = Math.min(raw.length, COORDINATE_BYTES);
        System.arraycopy(raw, raw.length - copy, fixed, COORDINATE_BYTES - copy, copy);
        return fixed;
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("sealed payload refused: " + why);
    }
}
