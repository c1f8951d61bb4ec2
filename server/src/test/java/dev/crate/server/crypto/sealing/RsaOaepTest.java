package dev.crate.server.crypto.sealing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RSA-OAEP with a label, decrypted as the raw private operation plus our EME-OAEP decoding, against the
 * JDK's own OAEP (SunJCE, which takes labels) in both directions, and every malformed encoding refused.
 */
class RsaOaepTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int H = 32;
    private static KeyPair keys;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        keys = generator.generateKeyPair();
    }

    private static OAEPParameterSpec spec(byte[] label) {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
    }

    /** Encrypted by the JDK's OAEP (SunJCE), which accepts any label. */
    private static byte[] jdkEncrypt(byte[] message, byte[] label) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
        cipher.init(Cipher.ENCRYPT_MODE, keys.getPublic(), spec(label));
        return cipher.doFinal(message);
    }

    @Test
    void opensWhatTheJdkSealsWithAnyLabelAndRefusesAnyOtherLabel() throws Exception {
        for (int i = 0; i < 40; i++) {
            byte[] message = new byte[RANDOM.nextInt(319)];
            RANDOM.nextBytes(message);
            byte[] label = ("crate/v1/" + i + "/dev/NAME_" + i).getBytes(StandardCharsets.UTF_8);
            byte[] em = RsaOaep.privateOperation(keys.getPrivate(), jdkEncrypt(message, label));
            assertArrayEquals(message, RsaOaep.decode(em, label), "label " + i);
            assertNull(RsaOaep.decode(em, new byte[0]), "the unbound label");
            assertNull(RsaOaep.decode(em, ("crate/v1/" + i + "/prod/NAME_" + i).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] unbound = RsaOaep.privateOperation(keys.getPrivate(), jdkEncrypt("v".getBytes(), new byte[0]));
        assertArrayEquals("v".getBytes(), RsaOaep.decode(unbound, new byte[0]));
    }

    @Test
    void theJdkOpensWhatThisEncodingDescribes() throws Exception {
        byte[] label = "crate/v1/o/dev/A".getBytes(StandardCharsets.UTF_8);
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = publicOperation(encode(message, label, 0x01, -1));
        Cipher jdk = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
        jdk.init(Cipher.DECRYPT_MODE, keys.getPrivate(), spec(label));
        assertArrayEquals(message, jdk.doFinal(ciphertext), "the test's encoder is RFC 8017's");
        assertArrayEquals(message, RsaOaep.decode(RsaOaep.privateOperation(keys.getPrivate(), ciphertext), label));
    }

    @Test
    void refusesEveryMalformedEncoding() throws Exception {
        byte[] label = "crate/v1/o/dev/A".getBytes(StandardCharsets.UTF_8);
        byte[] message = "secret".getBytes(StandardCharsets.UTF_8);
        assertNotNull(RsaOaep.decode(encode(message, label, 0x01, -1), label), "the well-formed one opens");

        byte[] leadingByte = encode(message, label, 0x01, -1);
        leadingByte[0] = 1;
        assertNull(RsaOaep.decode(leadingByte, label), "Y is not zero");
        assertNull(RsaOaep.decode(encode(message, label, 0x02, -1), label), "separator 0x02");
        assertNull(RsaOaep.decode(encode(message, label, 0x00, -1), label), "no separator at all");
        assertNull(RsaOaep.decode(encode(message, label, 0x01, 5), label), "a non-zero padding byte");
        assertNull(RsaOaep.decode(new byte[2 * H + 1], label), "too short to hold an encoding");
        byte[] ciphertext = jdkEncrypt(message, label);
        for (int position : new int[] {0, 1, 100, ciphertext.length - 1}) {
            byte[] flipped = ciphertext.clone();
            flipped[position] ^= 0x40;
            byte[] em;
            try {
                em = RsaOaep.privateOperation(keys.getPrivate(), flipped);
            } catch (GeneralSecurityException outOfRange) {
                continue; // a block at or above the modulus: refused before decoding
            }
            assertNull(RsaOaep.decode(em, label), "a changed ciphertext byte at " + position);
        }
        assertThrows(
                GeneralSecurityException.class,
                () -> RsaOaep.privateOperation(keys.getPrivate(), Arrays.copyOf(ciphertext, ciphertext.length - 1)),
                "not one RSA block");
    }

    private static byte[] publicOperation(byte[] em) throws GeneralSecurityException {
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, keys.getPublic());
        return raw.doFinal(em);
    }

    /**
     * EME-OAEP encoding (RFC 8017, section 7.1.1) of {@code message} for a 3072-bit key, with {@code separator}
     * where 0x01 belongs and, when {@code badPadding} is not -1, that many bytes into PS set to 0x07.
     */
    private static byte[] encode(byte[] message, byte[] label, int separator, int badPadding) throws Exception {
        int k = 384;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] db = new byte[k - H - 1];
        System.arraycopy(sha.digest(label), 0, db, 0, H);
        int separatorAt = db.length - message.length - 1;
        db[separatorAt] = (byte) separator;
        if (badPadding >= 0) {
            db[H + badPadding] = 7;
        }
        System.arraycopy(message, 0, db, separatorAt + 1, message.length);
        byte[] seed = new byte[H];
        RANDOM.nextBytes(seed);
        byte[] maskedDb = xor(db, mgf1(sha, seed, db.length));
        byte[] maskedSeed = xor(seed, mgf1(sha, maskedDb, H));
        byte[] em = new byte[k];
        System.arraycopy(maskedSeed, 0, em, 1, H);
        System.arraycopy(maskedDb, 0, em, 1 + H, maskedDb.length);
        return em;
    }

    private static byte[] mgf1(MessageDigest sha, byte[] seed, int length) {
        byte[] out = new byte[length];
        for (int done = 0, c = 0; done < length; c++) {
            sha.update(seed);
            byte[] block = sha.digest(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
            int n = Math.min(H, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static byte[] xor(byte[] a, byte[] mask) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= mask[i];
        }
        return out;
    }
}
