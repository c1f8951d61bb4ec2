package dev.crate.protocol.sealing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** SubjectPublicKeyInfo PEM, the form OpenSSL, WebCrypto and Crate exchange public keys in. */
public final class Pem {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private Pem() {}

    public static String encode(PublicKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return BEGIN + "\n" + body + "\n" + END + "\n";
    }

    /**
     * Parses an SPKI PEM public key of the given algorithm ("RSA" or "EC").
     *
     * @throws IllegalArgumentException when the text is not such a key; the message never echoes the input
     */
    public static PublicKey decode(String pem, String algorithm) {
        if (pem == null) {
            throw new IllegalArgumentException("no PEM given");
        }
        String text = pem.trim();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new IllegalArgumentException("not an SPKI PEM public key (BEGIN PUBLIC KEY)");
        }
        String body =
                text.substring(BEGIN.length(), text.length() - END.length()).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM body is not a valid " + algorithm + " public key");
        }
    }
}
