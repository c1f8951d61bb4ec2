package dev.crate.server.crypto.sealing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;

/**
 * RSA-OAEP decryption (SHA-256, MGF1 with SHA-256) with a label, in two steps: the RSA private operation
 * alone ({@code RSA/ECB/NoPadding}) and the EME-OAEP decoding of RFC 8017, section 7.1.2, here.
 *
 * <p>Why not {@code RSA/ECB/OAEPPadding} with a {@code PSource}: ACCP refuses a non-empty label, and the JCA
 * then hands the whole operation to the JDK's provider, whose RSA runs on {@code BigInteger} about four
 * times slower (docs/BENCHMARKS.md). The private operation is the one both providers do with blinding;
 * the decoding is cheap, so one private operation serves every label a value may carry.
 *
 * <p>{@link #decode} does the same work whatever is wrong with the block and says only "invalid" (null), so
 * its time and answer tell nothing about which check failed (the leading byte, the label hash, the
 * padding); RFC 8017 asks for exactly that.
 */
final class RsaOaep {
    private static final int H = 32; // SHA-256 output

    private RsaOaep() {}

    /** The encoded message EM of {@code ciphertext} under {@code key}: the RSA private operation, k bytes. */
    static byte[] privateOperation(PrivateKey key, byte[] ciphertext) throws GeneralSecurityException {
        int k = (((RSAKey) key).getModulus().bitLength() + 7) / 8;
        if (ciphertext.length != k) {
            throw new BadPaddingException("not one RSA block");
        }
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.DECRYPT_MODE, key);
        byte[] out = raw.doFinal(ciphertext);
        if (out.length == k) {
            return out;
        }
        if (out.length > k) {
            throw new BadPaddingException("not one RSA block");
        }
        byte[] em = new byte[k];
        System.arraycopy(out, 0, em, k - out.length, out.length);
        return em;
    }

    /** The message of {@code em} if it is a valid EME-OAEP encoding under {@code label}; otherwise null. */
    static byte[] decode(byte[] em, byte[] label) {
        int k = em.length;
        if (k < 2 * H + 2) {
            return null;
        }
        MessageDigest sha = sha256();
        byte[] labelHash = sha.digest(label);
        byte[] seed = Arrays.copyOfRange(em, 1, 1 + H);
        byte[] db = Arrays.copyOfRange(em, 1 + H, k);
        xor(seed, mgf1(sha, db, H));
        xor(db, mgf1(sha, seed, db.length));

        int bad = em[0] & 0xff; // Y must be 0
        for (int i = 0; i < H; i++) {
            bad |= (db[i] ^ labelHash[i]) & 0xff;
        }
        // DB = lHash || PS (zero bytes) || 0x01 || M: find the first non-zero byte after lHash, which must be 1
        int found = 0;
        int separator = 0;
        for (int i = H; i < db.length; i++) {
            int b = db[i] & 0xff;
            int isOne = ((b ^ 1) - 1) >>> 31;
            int isZero = (b - 1) >>> 31;
            int first = isOne & (found ^ 1);
            separator |= -first & i;
            bad |= (found ^ 1) & (isZero ^ 1) & (isOne ^ 1);
            found |= isOne;
        }
        bad |= found ^ 1;
        if (bad != 0) {
            return null;
        }
        return Arrays.copyOfRange(db, separator + 1, db.length);
    }

    /** MGF1 with SHA-256 (RFC 8017, appendix B.2.1): {@code length} bytes from {@code seed}. */
    private static byte[] mgf1(MessageDigest sha, byte[] seed, int length) {
        byte[] mask = new byte[length];
        byte[] counter = new byte[4];
        for (int done = 0, c = 0; done < length; c++) {
            counter[0] = (byte) (c >>> 24);
            counter[1] = (byte) (c >>> 16);
            counter[2] = (byte) (c >>> 8);
            counter[3] = (byte) c;
            sha.update(seed);
            byte[] block = sha.digest(counter);
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, mask, done, n);
            done += n;
        }
        return mask;
    }

    private static void xor(byte[] into, byte[] mask) {
        for (int i = 0; i < into.length; i++) {
            into[i] ^= mask[i];
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
