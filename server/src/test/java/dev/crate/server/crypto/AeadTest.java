package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.aead.DecryptionException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AeadTest {
    private final byte[] key = Aead.newKey();
    private final byte[] aad = "context".getBytes(StandardCharsets.UTF_8);

    @Test
    void seal_Confidential() {
        byte[] plaintext = "the quick brown fox jumps over".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Aead.seal(key, plaintext, aad);
        assertEquals(-1, Bytes.indexOf(sealed, plaintext));
        assertArrayEquals(plaintext, Aead.open(key, sealed, aad));
    }

    @Test
    void open_Integrity_everySingleBitFlipFails() {
        byte[] sealed = Aead.seal(key, "value".getBytes(StandardCharsets.UTF_8), aad);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] flipped = sealed.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(DecryptionException.class, () -> Aead.open(key, flipped, aad), "bit " + bit);
        }
    }

    @Test
    void open_failsWithAnotherAad() {
        byte[] sealed = Aead.seal(key, new byte[] {1, 2, 3}, aad);
        assertThrows(DecryptionException.class, () -> Aead.open(key, sealed, "other".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void open_failsWithAnotherKey() {
        byte[] sealed = Aead.seal(key, new byte[] {1, 2, 3}, aad);
        assertThrows(DecryptionException.class, () -> Aead.open(Aead.newKey(), sealed, aad));
    }

    @Test
    void open_failsOnTruncation() {
        byte[] sealed = Aead.seal(key, new byte[] {1, 2, 3}, aad);
        assertThrows(DecryptionException.class, () -> Aead.open(key, Arrays.copyOf(sealed, sealed.length - 1), aad));
        assertThrows(DecryptionException.class, () -> Aead.open(key, new byte[10], aad));
    }

    @Test
    void seal_Unique_noncesNeverRepeat() {
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] sealed = Aead.seal(key, new byte[] {0}, aad);
            nonces.add(java.util.HexFormat.of().formatHex(sealed, 0, Aead.NONCE_BYTES));
        }
        assertEquals(20_000, nonces.size());
    }

    @Test
    void initialize_KeyLength_refusesAnythingButAes256() {
        for (int size : new int[] {0, 16, 24, 31, 33, 64}) {
            assertThrows(IllegalArgumentException.class, () -> Aead.seal(new byte[size], new byte[] {1}, aad));
            assertThrows(IllegalArgumentException.class, () -> Aead.open(new byte[size], new byte[40], aad));
        }
        assertEquals(32, Aead.newKey().length);
    }
}
