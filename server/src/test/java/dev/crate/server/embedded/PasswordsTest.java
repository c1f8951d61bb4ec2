package dev.crate.server.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The superuser's password and the SCRAM verifier that stands for it in PostgreSQL; no server needed. */
class PasswordsTest {

    private static final Pattern VERIFIER =
            Pattern.compile("SCRAM-SHA-256\\$4096:([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");

    @Test
    void newPasswordsAreFortyLettersOrDigitsAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String password = Passwords.newPassword();
            assertTrue(password.matches("[A-Za-z0-9]{40}"), "40 letters or digits");
            assertTrue(seen.add(password), "never the same password twice");
        }
    }

    @Test
    void acceptsOnlyKeptPasswordsOfAtLeast32PrintableCharactersWithoutSpaces() {
        assertTrue(Passwords.isValidPassword(Passwords.newPassword()));
        assertTrue(Passwords.isValidPassword("x".repeat(32)));
        assertFalse(Passwords.isValidPassword("x".repeat(31)), "too short");
        assertFalse(Passwords.isValidPassword("x".repeat(20) + " " + "x".repeat(20)), "a space");
        assertFalse(Passwords.isValidPassword("x".repeat(40) + "\t"), "a control character");
        assertFalse(Passwords.isValidPassword("x".repeat(40) + "é"), "not ASCII (SASLprep could change it)");
    }

    @Test
    void scramVerifierHoldsTheKeysOfThePasswordButNotThePassword() throws Exception {
        String password = Passwords.newPassword();
        String verifier = Passwords.scramVerifier(password);

        Matcher parts = VERIFIER.matcher(verifier);
        assertTrue(parts.matches(), "PostgreSQL's SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        assertFalse(verifier.contains(password), "the password itself is not in the verifier");
        // RFC 5802: SaltedPassword = Hi(password, salt, i), StoredKey = H(ClientKey), ServerKey = HMAC(.., "Server
        // Key")
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), b64.decode(parts.group(1)), 4096, 256))
                .getEncoded();
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(clientKey), b64.decode(parts.group(2)));
        assertArrayEquals(serverKey, b64.decode(parts.group(3)));
    }

    @Test
    void scramVerifiersOfOnePasswordHaveFreshSalts() {
        String password = Passwords.newPassword();
        Matcher first = VERIFIER.matcher(Passwords.scramVerifier(password));
        Matcher second = VERIFIER.matcher(Passwords.scramVerifier(password));
        assertTrue(first.matches() && second.matches());
        assertNotEquals(first.group(1), second.group(1), "a new random salt each time");
        assertNotEquals(first.group(2), second.group(2));
    }
}
