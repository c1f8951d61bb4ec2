package dev.crate.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.InvalidRootKeyException;
import dev.crate.server.crypto.rootkey.Pkcs11RootKeyProvider;
import dev.crate.server.crypto.rootkey.RootKeyring;
import dev.crate.server.crypto.rootkey.StaticRootKeyProvider;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.testing.SoftHsm;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#11 root key provider against a real SoftHSM2 token (fresh per run; surefire points
 * SOFTHSM2_CONF at target/softhsm2/softhsm2.conf, which this test writes before the module loads).
 */
class Pkcs11RootKeyTest {
    private static SoftHsm.Token token;

    @BeforeAll
    static void freshToken() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        token = SoftHsm.initToken(
                Path.of(conf == null ? "target/softhsm2/softhsm2.conf" : conf).toAbsolutePath(), "crate-test");
    }

    private static Pkcs11RootKeyProvider.TokenConfig config(String pin) {
        return new Pkcs11RootKeyProvider.TokenConfig(
                SoftHsm.MODULE, Optional.of((int) token.slot()), Optional.empty(), pin.toCharArray());
    }

    private static List<Pkcs11RootKeyProvider> open(String label, List<String> previous, boolean generate) {
        return Pkcs11RootKeyProvider.open(config(SoftHsm.USER_PIN), label, previous, generate);
    }

    @Test
    void generatesANonExtractableKeyInTheTokenAndWrapsInsideIt() {
        Pkcs11RootKeyProvider hsm = open("root-a", List.of(), true).get(0);
        assertEquals("hsm-root-a", hsm.activeKid());
        assertFalse(hsm.extractable(), "the token never hands out the key's value");
        UUID org = UUID.randomUUID();
        byte[] orgKey = Aead.newKey();
        byte[] blob = hsm.wrap(orgKey, Contexts.orgKey(org, 1));
        assertEquals("hsm-root-a", Envelope.keyId(blob));
        assertArrayEquals(orgKey, hsm.unwrap(blob, Contexts.orgKey(org, 1)));
        assertThrows(DecryptionException.class, () -> hsm.unwrap(blob, Contexts.orgKey(org, 2)));

        // Another login (a restart) finds the same key object in the token and opens the blob.
        Pkcs11RootKeyProvider again = open("root-a", List.of(), false).get(0);
        assertArrayEquals(orgKey, again.unwrap(blob, Contexts.orgKey(org, 1)));
    }

    @Test
    void aMissingKeyIsNamedAndAMissingModuleRefused() {
        // (A wrong PIN is tested in RotationIT, in a process of its own: PKCS#11 login state is per
        // process, so after one successful login in this JVM the token no longer checks the PIN.)
        var missing = assertThrows(InvalidRootKeyException.class, () -> open("no-such-key", List.of(), false));
        assertTrue(missing.getMessage().contains("hsm-no-such-key"), missing.getMessage());
        var noModule = assertThrows(
                InvalidRootKeyException.class,
                () -> Pkcs11RootKeyProvider.open(
                        new Pkcs11RootKeyProvider.TokenConfig(
                                "/nonexistent/libpkcs11.so", Optional.empty(), Optional.empty(), "0000".toCharArray()),
                        "root-a",
                        List.of(),
                        false));
        assertFalse(noModule.getMessage().contains("0000"), "the PIN is never echoed");
    }

    @Test
    void aKeyringMovesFromAnEnvKeyToTheHsmAndBetweenHsmKeys() {
        StaticRootKeyProvider env =
                StaticRootKeyProvider.fromBase64("env", Base64.getEncoder().encodeToString(Aead.newKey()));
        UUID org = UUID.randomUUID();
        byte[] orgKey = Aead.newKey();
        byte[] underEnv = env.wrap(orgKey, Contexts.orgKey(org, 1));

        List<Pkcs11RootKeyProvider> hsm = open("root-b", List.of(), true);
        RootKeyring ring = new RootKeyring(hsm.get(0), List.of(env));
        assertEquals("hsm-root-b", ring.activeKid());
        assertEquals(java.util.Set.of(env.activeKid()), ring.previousKids());
        assertArrayEquals(orgKey, ring.unwrap(underEnv, Contexts.orgKey(org, 1)));
        byte[] underHsm = ring.wrap(orgKey, Contexts.orgKey(org, 1));
        assertEquals("hsm-root-b", Envelope.keyId(underHsm));

        // Rotating inside the HSM: a new label active, the old one kept as previous.
        open("root-c", List.of(), true);
        List<Pkcs11RootKeyProvider> rotated = open("root-c", List.of("root-b"), false);
        RootKeyring next = new RootKeyring(rotated.get(0), rotated.subList(1, rotated.size()));
        assertArrayEquals(orgKey, next.unwrap(underHsm, Contexts.orgKey(org, 1)));
        assertEquals("hsm-root-c", Envelope.keyId(next.wrap(orgKey, Contexts.orgKey(org, 1))));
        // Without the previous key the blob's kid is reported, never guessed.
        var unknown = assertThrows(
                UnknownRootKeyException.class, () -> rotated.get(0).unwrap(underHsm, Contexts.orgKey(org, 1)));
        assertEquals("hsm-root-b", unknown.kid());
    }
}
