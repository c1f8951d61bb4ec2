package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.rootkey.InvalidRootKeyException;
import dev.crate.server.crypto.rootkey.StaticRootKeyProvider;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RootKeyTest {
    private static String randomKey() {
        return Base64.getEncoder().encodeToString(Aead.newKey());
    }

    @Test
    void initialize_KeyLength_refusesKeysThatAreNot32Bytes() {
        for (int size : new int[] {0, 16, 31, 33}) {
            String text = Base64.getEncoder().encodeToString(new byte[size]);
            var e = assertThrows(InvalidRootKeyException.class, () -> StaticRootKeyProvider.fromBase64("env", text));
            assertFalse(e.getMessage().contains(text) && size > 0, "the message must not echo the key");
        }
    }

    @Test
    void refusesMalformedBase64() {
        assertThrows(InvalidRootKeyException.class, () -> StaticRootKeyProvider.fromBase64("env", "not*base64"));
    }

    @Test
    void theKidIsStableForAKeyAndDiffersBetweenKeys() {
        String key = randomKey();
        assertEquals(
                StaticRootKeyProvider.fromBase64("a", key).activeKid(),
                StaticRootKeyProvider.fromBase64("b", key).activeKid());
        assertFalse(StaticRootKeyProvider.fromBase64("a", key)
                .activeKid()
                .equals(StaticRootKeyProvider.fromBase64("a", randomKey()).activeKid()));
    }

    @Test
    void anotherRootKeyIsReportedByKidNotSilentlyUsed() {
        var first = StaticRootKeyProvider.fromBase64("a", randomKey());
        var second = StaticRootKeyProvider.fromBase64("b", randomKey());
        UUID org = UUID.randomUUID();
        byte[] wrapped = first.wrap(Aead.newKey(), Contexts.orgKey(org, 1));
        var e = assertThrows(UnknownRootKeyException.class, () -> second.unwrap(wrapped, Contexts.orgKey(org, 1)));
        assertEquals(first.activeKid(), e.kid());
    }

    @Test
    void rejectsAnOrgKeyMovedToAnotherOrgOrVersion() {
        var root = StaticRootKeyProvider.fromBase64("a", randomKey());
        UUID org = UUID.randomUUID();
        byte[] material = Aead.newKey();
        byte[] wrapped = root.wrap(material, Contexts.orgKey(org, 1));
        assertArrayEquals(material, root.unwrap(wrapped, Contexts.orgKey(org, 1)));
        assertThrows(DecryptionException.class, () -> root.unwrap(wrapped, Contexts.orgKey(UUID.randomUUID(), 1)));
        assertThrows(DecryptionException.class, () -> root.unwrap(wrapped, Contexts.orgKey(org, 2)));
    }
}
