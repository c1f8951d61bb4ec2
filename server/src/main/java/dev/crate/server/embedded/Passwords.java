package dev.crate.server.embedded;

import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** The superuser's password: making a random one, checking a kept one, and the SCRAM verifier PostgreSQL stores. */
final class Passwords {

    static final int PASSWORD_LENGTH = 40;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SCRAM_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    /** A new random password: {@value #PASSWORD_LENGTH} letters and digits (about 238 bits) from SecureRandom. */
    static String newPassword() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** At least 32 printable ASCII characters without spaces (so SASLprep leaves it as it is). */
    static boolean isValidPassword(String candidate) {
        return candidate.length() >= 32 && candidate.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
    }

    /**
     * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's
     * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} format), so the password itself never
     * reaches the server in setting it.
     */
    static String scramVerifier(String password) {
        try {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256))
                    .getEncoded();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salted, "HmacSHA256"));
            byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + b64.encodeToString(salt) + "$"
                    + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new EmbeddedDatabaseException(
                    "This Java runtime cannot compute a SCRAM-SHA-256 password "
                            + "verifier (" + e.getClass().getSimpleName() + "), which the embedded PostgreSQL database "
                            + "needs. Use a standard Java 17+ runtime, " + ESCAPE_HATCH,
                    e);
        }
    }
}
