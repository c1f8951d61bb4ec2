package dev.crate.server.crypto.envelope;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.aead.DecryptionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of every blob Crate stores:
 * {@code format(1) || keyIdLength(1) || keyId(UTF-8) || nonce(12) || ciphertext || tag(16)}.
 * The header (format and wrapping key id) is bound into the AEAD's associated data together
 * with the caller's context (which org, secret, version... the blob belongs to), so a blob
 * copied to another row, or relabelled with another key id, fails to open.
 */
public final class Envelope {
    /** The only format so far; a new layout gets a new number and old blobs stay readable. */
    public static final byte FORMAT_V1 = 1;

    private Envelope() {}

    public static byte[] seal(byte[] key, String keyId, byte[] plaintext, byte[] context) {
        byte[] header = header(keyId);
        byte[] body = Aead.seal(key, plaintext, aad(header, context));
        return ByteBuffer.allocate(header.length + body.length)
                .put(header)
                .put(body)
                .array();
    }

    /** @throws DecryptionException when the blob is malformed, of another format, or does not authenticate */
    public static byte[] open(byte[] key, byte[] blob, byte[] context) {
        int headerLength = headerLength(blob);
        byte[] header = java.util.Arrays.copyOf(blob, headerLength);
        byte[] body = java.util.Arrays.copyOfRange(blob, headerLength, blob.length);
        return Aead.open(key, body, aad(header, context));
    }

    /** Seals with an AEAD the caller supplies (a key inside an HSM): same layout and AAD binding as {@link #seal}. */
    public static byte[] sealWith(
            String keyId,
            byte[] plaintext,
            byte[] context,
            java.util.function.BiFunction<byte[], byte[], byte[]> aead) {
        byte[] header = header(keyId);
        byte[] body = aead.apply(plaintext, aad(header, context));
        return ByteBuffer.allocate(header.length + body.length)
                .put(header)
                .put(body)
                .array();
    }

    /** Opens with an AEAD the caller supplies, given (body, aad). */
    public static byte[] openWith(
            byte[] blob, byte[] context, java.util.function.BiFunction<byte[], byte[], byte[]> aead) {
        int headerLength = headerLength(blob);
        byte[] header = java.util.Arrays.copyOf(blob, headerLength);
        byte[] body = java.util.Arrays.copyOfRange(blob, headerLength, blob.length);
        return aead.apply(body, aad(header, context));
    }

    /** The id of the key that wrapped this blob, read from its header (not authenticated until opened). */
    public static String keyId(byte[] blob) {
        int headerLength = headerLength(blob);
        return new String(blob, 2, headerLength - 2, StandardCharsets.UTF_8);
    }

    private static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("key id longer than 255 bytes");
        }
        return ByteBuffer.allocate(2 + id.length)
                .put(FORMAT_V1)
                .put((byte) id.length)
                .put(id)
                .array();
    }

    private static int headerLength(byte[] blob) {
        if (blob == null || blob.length < 2 || blob[0] != FORMAT_V1) {
            throw new DecryptionException();
        }
        int length = 2 + (blob[1] & 0xff);
        if (blob.length < length) {
            throw new DecryptionException();
        }
        return length;
    }

    private static byte[] aad(byte[] header, byte[] context) {
        return ByteBuffer.allocate(header.length + context.length)
                .put(header)
                .put(context)
                .array();
    }
}
