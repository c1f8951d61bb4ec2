package dev.crate.server.workload;

import dev.crate.server.identity.ApiKeyFormat;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Workload token format: {@code crate_wl_} + base62 of 32 random bytes (43 characters). The prefix tells
 * it from an API key ({@code crate_}) at a glance and for secret scanners; only its SHA-256 is stored.
 */
public final class WorkloadTokenFormat {
    public static final String PREFIX = "crate_wl_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int BODY_LENGTH = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkloadTokenFormat() {}

    static String generate() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        BigInteger value = new BigInteger(1, random);
        StringBuilder out = new StringBuilder();
        BigInteger base = BigInteger.valueOf(62);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        while (out.length() < BODY_LENGTH) {
            out.append('0');
        }
        return PREFIX + out.reverse();
    }

    /** True for a token of this shape (says nothing of whether it exists). */
    public static boolean wellFormed(String token) {
        if (token == null || token.length() != PREFIX.length() + BODY_LENGTH || !token.startsWith(PREFIX)) {
            return false;
        }
        return token.substring(PREFIX.length()).chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    static byte[] hash(String token) {
        return ApiKeyFormat.hash(token);
    }
}
