package dev.crate.server.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * API key format: {@code crate_} + base62 of 32 random bytes (43 characters) + a 6-character base62
 * CRC-32 of what precedes it. The prefix and checksum let secret scanners recognise a leaked key
 * without asking the server; only the SHA-256 of the whole key is stored (256 bits of entropy make
 * a slow hash pointless).
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "crate_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int BODY_LENGTH = 43;
    private static final int CHECKSUM_LENGTH = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {}

    public static String generate() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String body = PREFIX + base62(new BigInteger(1, random), BODY_LENGTH);
        return body + checksum(body);
    }

    /** True when {@code key} has the shape and a correct checksum (says nothing of whether it exists). */
    public static boolean wellFormed(String key) {
        if (key == null || key.length() != PREFIX.length() + BODY_LENGTH + CHECKSUM_LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            if (ALPHABET.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        String body = key.substring(0, key.length() - CHECKSUM_LENGTH);
        return checksum(body).equals(key.substring(key.length() - CHECKSUM_LENGTH));
    }

    /** The first characters shown in listings, enough to tell keys apart, useless to an attacker. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return base62(BigInteger.valueOf(crc.getValue()), CHECKSUM_LENGTH);
    }

    private static String base62(BigInteger value, int length) {
        StringBuilder out = new StringBuilder();
        BigInteger base = BigInteger.valueOf(62);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        while (out.length() < length) {
            out.append('0');
        }
        return out.reverse().toString();
    }
}
