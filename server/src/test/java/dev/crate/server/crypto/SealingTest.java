package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.crypto.sealing.ClientKey;
import dev.crate.server.crypto.sealing.InvalidSealedValueException;
import dev.crate.server.crypto.sealing.SealedValueOpener;
import dev.crate.server.crypto.sealing.StaleTransportKeyException;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.crypto.sealing.TransportKeyring;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealingTest {
    private static final TransportKeyPair PAIR = TransportKeyPair.generate();
    private static final byte[] VALUE = "sk_test_12345".getBytes(StandardCharsets.UTF_8);

    private static byte[] open(String sealed) {
        return SealedValueOpener.open(sealed, PAIR.privateKey());
    }

    private static final TransportKeyPair OLD = TransportKeyPair.generate();
    private static final TransportKeyPair GONE = TransportKeyPair.generate();

    /** PAIR active, OLD in its grace period, GONE disabled. */
    private static byte[] openWithGrace(String sealed) {
        return SealedValueOpener.open(
                sealed,
                new TransportKeyring(
                        PAIR.kid(),
                        PAIR.privateKey(),
                        java.util.Map.of(OLD.kid(), OLD.privateKey()),
                        java.util.Set.of(GONE.kid())));
    }

    @Test
    void aKeyInItsGracePeriodOpensJweByKidAndRawOaepByTrying() {
        assertArrayEquals(VALUE, openWithGrace(Sealing.sealJwe(OLD.publicKey(), OLD.kid(), VALUE)));
        assertArrayEquals(VALUE, openWithGrace(Sealing.sealRaw(OLD.publicKey(), VALUE)));
        assertArrayEquals(VALUE, openWithGrace(Sealing.sealRaw(PAIR.publicKey(), VALUE)));
        assertArrayEquals(VALUE, openWithGrace(Sealing.sealJwe(PAIR.publicKey(), PAIR.kid(), VALUE)));
    }

    @Test
    void aJweNamingADisabledKeyIsToldSoAndOtherFailuresLookAlike() {
        assertThrows(
                StaleTransportKeyException.class,
                () -> openWithGrace(Sealing.sealJwe(GONE.publicKey(), GONE.kid(), VALUE)));
        assertThrows(InvalidSealedValueException.class, () -> openWithGrace(Sealing.sealRaw(GONE.publicKey(), VALUE)));
        assertThrows(
                InvalidSealedValueException.class,
                () -> openWithGrace(Sealing.sealJwe(GONE.publicKey(), "tk-unknown", VALUE)));
        // A JWE sealed to the old key but labelled with the active kid is not rescued by trying other keys.
        assertThrows(
                InvalidSealedValueException.class,
                () -> openWithGrace(Sealing.sealJwe(OLD.publicKey(), PAIR.kid(), VALUE)));
        assertEquals(
                Optional.of(OLD.kid()), SealedValueOpener.kidOf(Sealing.sealJwe(OLD.publicKey(), OLD.kid(), VALUE)));
        assertEquals(Optional.empty(), SealedValueOpener.kidOf(Sealing.sealRaw(OLD.publicKey(), VALUE)));
    }

    private static final dev.crate.protocol.sealing.Destination DEV = new dev.crate.protocol.sealing.Destination(
            java.util.UUID.randomUUID().toString(), "dev", "API_KEY");
    private static final dev.crate.protocol.sealing.Destination PROD =
            new dev.crate.protocol.sealing.Destination(DEV.org(), "prod", "API_KEY");

    private static SealedValueOpener.Opened openFor(
            dev.crate.protocol.sealing.Destination destination, String sealed, boolean allowUnbound) {
        return SealedValueOpener.open(
                sealed,
                new TransportKeyring(PAIR.kid(), PAIR.privateKey(), java.util.Map.of(), java.util.Set.of()),
                destination,
                allowUnbound);
    }

    @Test
    void boundValuesOpenOnlyForTheirDestination() {
        String raw = Sealing.sealRaw(PAIR.publicKey(), DEV, VALUE);
        String jwe = Sealing.sealJwe(PAIR.publicKey(), PAIR.kid(), DEV, VALUE);
        for (boolean allowUnbound : new boolean[] {false, true}) {
            var opened = openFor(DEV, raw, allowUnbound);
            assertArrayEquals(VALUE, opened.value());
            assertEquals(true, opened.bound());
            opened = openFor(DEV, jwe, allowUnbound);
            assertArrayEquals(VALUE, opened.value());
            assertEquals(true, opened.bound());
            assertThrows(InvalidSealedValueException.class, () -> openFor(PROD, raw, allowUnbound));
            assertThrows(
                    dev.crate.server.crypto.sealing.SealedValueMismatchException.class,
                    () -> openFor(PROD, jwe, allowUnbound));
        }
        // Unbound: refused unless allowed, then opened and reported as unbound.
        String unboundRaw = Sealing.sealRaw(PAIR.publicKey(), VALUE);
        String unboundJwe = Sealing.sealJwe(PAIR.publicKey(), PAIR.kid(), VALUE);
        assertThrows(InvalidSealedValueException.class, () -> openFor(DEV, unboundRaw, false));
        var e = assertThrows(
                dev.crate.server.crypto.sealing.SealedValueMismatchException.class,
                () -> openFor(DEV, unboundJwe, false));
        assertEquals(true, e.unbound());
        assertEquals(false, openFor(DEV, unboundRaw, true).bound());
        assertEquals(false, openFor(DEV, unboundJwe, true).bound());
        assertArrayEquals(VALUE, openFor(DEV, unboundJwe, true).value());
    }

    @Test
    void theLabelIsTheDocumentedString() {
        String org = "3F0C1A52-8D4E-4C1B-9A57-2F6F1E0B7C11";
        assertEquals(
                "crate/v1/3f0c1a52-8d4e-4c1b-9a57-2f6f1e0b7c11/prod/DATABASE_URL",
                new String(
                        new dev.crate.protocol.sealing.Destination(org, "prod", "DATABASE_URL").oaepLabel(),
                        StandardCharsets.UTF_8));
    }

    @Test
    void opensRawOaepSha256() {
        assertArrayEquals(VALUE, open(Sealing.sealRaw(PAIR.publicKey(), VALUE)));
    }

    @Test
    void opensAJweOfAnySize() {
        byte[] big = new byte[64 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        assertArrayEquals(big, open(Sealing.sealJwe(PAIR.publicKey(), PAIR.kid(), big)));
    }

    @Test
    void rawOaepCarriesAtMost318BytesUnderRsa3072() {
        assertArrayEquals(new byte[318], open(Sealing.sealRaw(PAIR.publicKey(), new byte[318])));
        assertThrows(IllegalArgumentException.class, () -> Sealing.sealRaw(PAIR.publicKey(), new byte[319]));
    }

    @Test
    void everyFailureIsTheSameException() {
        TransportKeyPair other = TransportKeyPair.generate();
        for (String bad : new String[] {
            null,
            "",
            "%%%",
            "AAAA",
            Sealing.sealRaw(other.publicKey(), VALUE),
            Sealing.sealJwe(other.publicKey(), other.kid(), VALUE),
            "a.b.c.d.e",
            "x.y"
        }) {
            var e = assertThrows(InvalidSealedValueException.class, () -> open(bad));
            assertEquals("sealed value cannot be opened", e.getMessage());
        }
    }

    @Test
    void retrievalToAnEcKeyOpensWithTheClientsTemporaryKey() {
        TemporaryKey temporary = TemporaryKey.generate();
        String jwe = ClientKey.fromJwk(temporary.publicJwk()).seal(VALUE, "A256GCM");
        assertArrayEquals(VALUE, temporary.open(jwe));
    }
}
