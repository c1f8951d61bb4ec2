package dev.crate.server.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Canonical associated data: each part as a 4-byte big-endian length followed by its UTF-8 bytes,
 * so that no two different tuples encode alike ("ab","c" differs from "a","bc").
 */
public final class Aad {
    private Aad() {}

    public static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (Object part : parts) {
            byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
