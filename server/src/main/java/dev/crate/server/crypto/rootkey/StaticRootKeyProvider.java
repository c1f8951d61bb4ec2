package dev.crate.server.crypto.rootkey;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * A root key held in process memory, from {@code CRATE_ROOT_KEY}, {@code CRATE_ROOT_KEY_FILE} or the
 * dev key file. Its kid is derived from the key ({@code rk-} + 12 hex digits of a labelled SHA-256),
 * so the same key always has the same kid and a different key never matches stored blobs silently.
 */
public final class StaticRootKeyProvider implements RootKeyProvider {
    private final String source;
    private final String kid;
    private final byte[] key;

    private StaticRootKeyProvider(String source, byte[] key) {
        if (key.length != Aead.KEY_BYTES) {
            throw new InvalidRootKeyException("the root key from " + source
                    + " must be 32 bytes (base64 of 32 random bytes), got " + key.length + " bytes");
        }
        this.source = source;
        this.key = key.clone();
        this.kid = kidOf(key);
    }

    /** Parses base64 (standard or URL-safe) of exactly 32 bytes. */
    public static StaticRootKeyProvider fromBase64(String source, String base64) {
        String text = base64 == null ? "" : base64.trim();
        byte[] key;
        try {
            key = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRootKeyException("the root key from " + source + " is not valid base64");
        }
        try {
            return new StaticRootKeyProvider(source, key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    public static String kidOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("crate root key id\0".getBytes(StandardCharsets.UTF_8));
            return "rk-" + HexFormat.of().formatHex(sha.digest(key), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String activeKid() {
        return kid;
    }

    @Override
    public Set<String> kids() {
        return Set.of(kid);
    }

    @Override
    public byte[] wrap(byte[] orgKey, byte[] context) {
        return Envelope.seal(key, kid, orgKey, context);
    }

    @Override
    public byte[] unwrap(byte[] blob, byte[] context) {
        String blobKid = Envelope.keyId(blob);
        if (!kid.equals(blobKid)) {
            throw new UnknownRootKeyException(blobKid);
        }
        return Envelope.open(key, blob, context);
    }

    @Override
    public String toString() {
        return "StaticRootKeyProvider[source=" + source + ", kid=" + kid + "]";
    }
}
