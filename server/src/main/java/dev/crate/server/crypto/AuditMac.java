package dev.crate.server.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates an audit checkpoint (the seq and hash the chain continues from after retention) with
 * HMAC-SHA-256 under a key derived from the org key, so that only the server can move where a chain
 * starts: someone with write access to the database alone cannot cut records off the front.
 */
public final class AuditMac {
    private static final byte[] LABEL = "crate-audit-checkpoint-v1".getBytes(StandardCharsets.UTF_8);

    private AuditMac() {}

    public static byte[] mac(byte[] orgKeyMaterial, UUID orgId, long seq, byte[] hash, long removedBeforeMicros) {
        byte[] key = hmac(orgKeyMaterial, LABEL);
        try {
            ByteBuffer data = ByteBuffer.allocate(16 + 8 + 4 + hash.length + 8);
            data.putLong(orgId.getMostSignificantBits())
                    .putLong(orgId.getLeastSignificantBits())
                    .putLong(seq)
                    .putInt(hash.length)
                    .put(hash)
                    .putLong(removedBeforeMicros);
            return hmac(key, data.array());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** How {@code removed_before} enters the MAC: microseconds since the epoch. */
    public static long micros(java.time.OffsetDateTime time) {
        return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, time.toInstant());
    }

    public static boolean verify(
            byte[] orgKeyMaterial, UUID orgId, long seq, byte[] hash, long removedBeforeMicros, byte[] mac) {
        return MessageDigest.isEqual(mac(orgKeyMaterial, orgId, seq, hash, removedBeforeMicros), mac);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
