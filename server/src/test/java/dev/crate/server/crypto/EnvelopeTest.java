package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.StaticRootKeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Blob formats. The fixed vectors were written by this code's format version 1; they must open
 * forever, so a change of layout shows up here before it strands stored data.
 */
class EnvelopeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID SECRET = UUID.fromString("00000000-0000-0000-0000-000000000002");

    private static byte[] fixedKey() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (i + 1);
        }
        return key;
    }

    @Test
    void opensTheFixedValueVector() {
        byte[] blob = HEX.parseHex("0102646bc7370bd8e192089f5cb6de7264977021103d8310c9b8c50b12ac2de4618a5b73b1");
        assertArrayEquals(
                "hello".getBytes(StandardCharsets.UTF_8),
                Envelope.open(fixedKey(), blob, Contexts.value(ORG, "dev", "NAME", 1)));
        assertEquals("dk", Envelope.keyId(blob));
    }

    @Test
    void opensTheFixedDataKeyVector() {
        byte[] blob = HEX.parseHex("01066f72672d7631a2772123908c83dff1cf6d1f75cc995089c3161deee45284319591043819e1edb5"
                + "4864d7edd4bead651a5be1cc80541a408344582caafc19e050111f");
        assertArrayEquals(new byte[32], Envelope.open(fixedKey(), blob, Contexts.dataKey(ORG, SECRET, 1)));
        assertEquals(1, Contexts.orgKeyVersion(Envelope.keyId(blob)));
    }

    @Test
    void opensTheFixedTransportKeyVector() {
        byte[] blob =
                HEX.parseHex("01066f72672d7631f10813a530f76c088ccd0da0e5aeae97ef7c12ba81eb19c0343e76199def4f3e6a");
        assertArrayEquals(
                "pkcs8".getBytes(StandardCharsets.UTF_8),
                Envelope.open(fixedKey(), blob, Contexts.transportKey(ORG, "tk-1")));
    }

    @Test
    void opensTheFixedOrgKeyVector() {
        byte[] blob =
                HEX.parseHex("010f726b2d343962616332366537613063ef5fa734b7ba16c583a42d219a2e1756857b6a2f1fa0b9f7ac"
                        + "f3e89f334a22745654e95029a3baa0aaa45f1f7519cffffc2d502ddecf7385b79acdd0");
        var root = StaticRootKeyProvider.fromBase64("test", Base64.getEncoder().encodeToString(fixedKey()));
        assertEquals("rk-49bac26e7a0c", root.activeKid());
        assertArrayEquals(new byte[32], root.unwrap(blob, Contexts.orgKey(ORG, 1)));
    }

    @Test
    void startsWithTheFormatVersionAndTheWrappingKeyId() {
        byte[] blob = Envelope.seal(fixedKey(), "org-v7", new byte[] {1}, Contexts.dataKey(ORG, SECRET, 1));
        assertEquals(Envelope.FORMAT_V1, blob[0]);
        assertEquals("org-v7", Envelope.keyId(blob));
    }

    @Test
    void relabellingTheKeyIdFailsToOpen() {
        byte[] blob = Envelope.seal(fixedKey(), "org-v1", new byte[] {1}, Contexts.dataKey(ORG, SECRET, 1));
        blob[2 + 4] = '2';
        assertThrows(
                DecryptionException.class, () -> Envelope.open(fixedKey(), blob, Contexts.dataKey(ORG, SECRET, 1)));
    }

    @Test
    void anUnknownFormatVersionFailsToOpen() {
        byte[] blob = Envelope.seal(fixedKey(), "dk", new byte[] {1}, Contexts.value(ORG, "dev", "N", 1));
        blob[0] = 2;
        assertThrows(
                DecryptionException.class, () -> Envelope.open(fixedKey(), blob, Contexts.value(ORG, "dev", "N", 1)));
    }

    @Test
    void contextsOfDifferentPurposesNeverCollide() {
        assertThrows(
                DecryptionException.class,
                () -> Envelope.open(
                        fixedKey(),
                        Envelope.seal(fixedKey(), "k", new byte[] {1}, Contexts.orgKey(ORG, 1)),
                        Contexts.transportKey(ORG, "1")));
    }
}
