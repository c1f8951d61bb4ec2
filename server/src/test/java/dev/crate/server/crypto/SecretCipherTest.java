package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.domain.OrgKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tier 3: a stored version opens only where it was written. */
class SecretCipherTest {
    private static final byte[] VALUE = "canary-sk_live_51Hxyz".getBytes(StandardCharsets.UTF_8);
    private final UUID org = UUID.randomUUID();
    private final UUID secret = UUID.randomUUID();
    private final OrgKey orgKey = new OrgKey(org, 1, Aead.newKey());
    private final SecretCipher.Encrypted stored = SecretCipher.encrypt(orgKey, secret, "dev", "NAME", 3, VALUE);

    private byte[] open(UUID orgId, UUID secretId, String env, String name, int version, byte[] wrapped, byte[] ct) {
        return SecretCipher.decrypt(orgId, v -> orgKey, secretId, env, name, version, wrapped, ct);
    }

    @Test
    void roundTrips() {
        assertArrayEquals(VALUE, open(org, secret, "dev", "NAME", 3, stored.wrappedDataKey(), stored.ciphertext()));
        assertEquals(1, stored.orgKeyVersion());
    }

    @Test
    void encrypt_Confidential_storedBytesNeverContainTheValueRawHexOrBase64() {
        String text = new String(VALUE, StandardCharsets.UTF_8);
        for (byte[] blob : new byte[][] {stored.wrappedDataKey(), stored.ciphertext()}) {
            assertEquals(-1, Bytes.indexOf(blob, VALUE));
            String hex = HexFormat.of().formatHex(blob);
            String b64 = Base64.getEncoder().encodeToString(blob);
            assertEquals(-1, hex.indexOf(HexFormat.of().formatHex(VALUE)));
            assertEquals(-1, hex.indexOf(text.toLowerCase(Locale.ROOT)));
            assertEquals(
                    -1, b64.indexOf(Base64.getEncoder().encodeToString(VALUE).substring(0, 12)));
        }
    }

    @Test
    void encrypt_Integrity_everyBitOfEitherBlobIsProtected() {
        for (int which = 0; which < 2; which++) {
            byte[] original = which == 0 ? stored.wrappedDataKey() : stored.ciphertext();
            for (int bit = 0; bit < original.length * 8; bit++) {
                byte[] flipped = original.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                byte[] wrapped = which == 0 ? flipped : stored.wrappedDataKey();
                byte[] ct = which == 0 ? stored.ciphertext() : flipped;
                assertThrows(RuntimeException.class, () -> open(org, secret, "dev", "NAME", 3, wrapped, ct));
            }
        }
    }

    @Test
    void rejectsCiphertextMovedToAnotherEnvironment() {
        assertThrows(
                DecryptionException.class,
                () -> open(org, secret, "prod", "NAME", 3, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void rejectsCiphertextMovedToAnotherName() {
        assertThrows(
                DecryptionException.class,
                () -> open(org, secret, "dev", "OTHER", 3, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void rejectsCiphertextMovedToAnotherVersion() {
        assertThrows(
                DecryptionException.class,
                () -> open(org, secret, "dev", "NAME", 4, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void rejectsWrappedKeyMovedToAnotherSecret() {
        assertThrows(
                DecryptionException.class,
                () -> open(org, UUID.randomUUID(), "dev", "NAME", 3, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void rejectsCiphertextMovedToAnotherOrg() {
        assertThrows(
                DecryptionException.class,
                () -> open(UUID.randomUUID(), secret, "dev", "NAME", 3, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void rejectsAnotherVersionsCiphertextUnderThisVersionsKey() {
        SecretCipher.Encrypted v4 = SecretCipher.encrypt(orgKey, secret, "dev", "NAME", 4, VALUE);
        assertThrows(
                DecryptionException.class,
                () -> open(org, secret, "dev", "NAME", 3, stored.wrappedDataKey(), v4.ciphertext()));
    }

    @Test
    void rejectsAnotherOrgKey() {
        OrgKey other = new OrgKey(org, 1, Aead.newKey());
        assertThrows(
                DecryptionException.class,
                () -> SecretCipher.decrypt(
                        org, v -> other, secret, "dev", "NAME", 3, stored.wrappedDataKey(), stored.ciphertext()));
    }

    @Test
    void everyVersionGetsItsOwnDataKey() {
        SecretCipher.Encrypted again = SecretCipher.encrypt(orgKey, secret, "dev", "NAME", 3, VALUE);
        assertFalse(java.util.Arrays.equals(again.wrappedDataKey(), stored.wrappedDataKey()));
    }
}
