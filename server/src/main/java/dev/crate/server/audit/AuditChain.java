package dev.crate.server.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The per-org hash chain: {@code hash = SHA-256(canonical(record fields, seq, prev_hash))}. The canonical
 * form is a format tag followed by every field, each as a 4-byte big-endian length and its UTF-8 bytes (-1
 * for null), so no two different records encode alike. The time counts as epoch microseconds (what
 * PostgreSQL keeps). Anyone holding an export can recompute the chain with nothing but SHA-256.
 */
public final class AuditChain {
    /** The {@code prev_hash} of an org's first record. */
    public static final byte[] GENESIS = new byte[32];

    private static final String FORMAT = "crate-audit-v1";

    private AuditChain() {}

    public static byte[] hash(UUID id, long seq, AuditEntry e, byte[] prevHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, FORMAT);
        field(out, id.toString());
        field(out, e.orgId().toString());
        field(out, Long.toString(seq));
        field(
                out,
                Long.toString(ChronoUnit.MICROS.between(
                        java.time.Instant.EPOCH, e.occurredAt().toInstant())));
        field(out, e.actorType());
        field(out, e.actorId());
        field(out, e.actorName());
        field(out, e.action());
        field(out, e.environment());
        field(out, e.name());
        field(out, e.version() == null ? null : e.version().toString());
        field(out, e.detail());
        field(out, e.outcome());
        field(out, e.reason());
        field(out, e.clientIp());
        field(out, e.userAgent());
        field(out, e.requestId());
        bytes(out, prevHash);
        return sha256(out.toByteArray());
    }

    /** Links {@code entry} after a record whose hash is {@code prevHash}. */
    public static ChainedEvent link(UUID id, long seq, AuditEntry entry, byte[] prevHash) {
        return new ChainedEvent(id, seq, entry, prevHash.clone(), hash(id, seq, entry, prevHash));
    }

    private static void field(ByteArrayOutputStream out, String value) {
        bytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(
                ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            out.writeBytes(value);
        }
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
