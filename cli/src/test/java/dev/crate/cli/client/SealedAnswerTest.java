package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/** The lean path's JWE opening, held to jose4j (which the server seals with) and to RFC 7518's example. */
class SealedAnswerTest {
    /** What the server's ClientKey.seal does: ECDH-ES, the given enc, cty application/json. */
    private static String seal(Map<String, Object> jwk, String alg, String enc, byte[] plaintext, String apu)
            throws Exception {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(alg);
        jwe.setEncryptionMethodHeaderParameter(enc);
        jwe.setContentTypeHeaderValue("application/json");
        if (apu != null) {
            jwe.setHeader("apu", apu);
            jwe.setHeader("apv", "Qm9i");
        }
        jwe.setKey(JsonWebKey.Factory.newJwk(jwk).getKey());
        jwe.setPlaintext(plaintext);
        return jwe.getCompactSerialization();
    }

    @Test
    void opensWhatJose4jSealsToItsJwkForManyKeys() throws Exception {
        // 300 keys: coordinates with leading zero bytes (1 in 256 each) come up, and must stay 32 bytes
        for (int i = 0; i < 300; i++) {
            SealedAnswer key = SealedAnswer.generate();
            Map<String, Object> jwk = key.publicJwk();
            byte[] plaintext = ("{\"environment\":\"dev\",\"secrets\":[],\"n\":" + i + ",\"v\":\"é\"}")
                    .getBytes(StandardCharsets.UTF_8);
            String sealed = seal(
                    jwk,
                    KeyManagementAlgorithmIdentifiers.ECDH_ES,
                    ContentEncryptionAlgorithmIdentifiers.AES_256_GCM,
                    plaintext,
                    i % 2 == 0 ? null : "QWxpY2U");
            assertArrayEquals(plaintext, key.open(sealed), "key " + i);
            assertEquals(32, Base64.getUrlDecoder().decode((String) jwk.get("x")).length);
            assertEquals(32, Base64.getUrlDecoder().decode((String) jwk.get("y")).length);
        }
    }

    @Test
    void writesTheSameJwkAsJose4j() throws Exception {
        SealedAnswer key = SealedAnswer.generate();
        Map<String, Object> ours = key.publicJwk();
        PublicJsonWebKey parsed = (PublicJsonWebKey) JsonWebKey.Factory.newJwk(ours);
        Map<String, Object> theirs =
                JsonWebKey.Factory.newJwk(parsed.getPublicKey()).toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        assertEquals(theirs, ours);
        assertEquals(EllipticCurveJsonWebKey.class, parsed.getClass());
    }

    @Test
    void refusesAlteredAnswersOtherAlgorithmsAndOtherKeys() throws Exception {
        SealedAnswer key = SealedAnswer.generate();
        byte[] plaintext = "{}".getBytes(StandardCharsets.UTF_8);
        String sealed = seal(
                key.publicJwk(),
                KeyManagementAlgorithmIdentifiers.ECDH_ES,
                ContentEncryptionAlgorithmIdentifiers.AES_256_GCM,
                plaintext,
                null);
        String[] parts = sealed.split("\\.");
        char last = parts[3].charAt(0);
        parts[3] = (last == 'A' ? 'B' : 'A') + parts[3].substring(1);
        assertThrows(IllegalArgumentException.class, () -> key.open(String.join(".", parts)));
        assertThrows(
                IllegalArgumentException.class, () -> SealedAnswer.generate().open(sealed));
        assertThrows(IllegalArgumentException.class, () -> key.open(sealed.substring(0, sealed.lastIndexOf('.'))));
        assertThrows(IllegalArgumentException.class, () -> key.open("a.b.c.d.e"));
        assertThrows(IllegalArgumentException.class, () -> key.open(null));
        String cbc = seal(
                key.publicJwk(),
                KeyManagementAlgorithmIdentifiers.ECDH_ES,
                ContentEncryptionAlgorithmIdentifiers.AES_256_CBC_HMAC_SHA_512,
                plaintext,
                null);
        assertThrows(IllegalArgumentException.class, () -> key.open(cbc));
        String wrapped = seal(
                key.publicJwk(),
                KeyManagementAlgorithmIdentifiers.ECDH_ES_A256KW,
                ContentEncryptionAlgorithmIdentifiers.AES_256_GCM,
                plaintext,
                null);
        assertThrows(IllegalArgumentException.class, () -> key.open(wrapped));
    }

    @Test
    void concatKdfGivesRfc7518AppendixC() throws Exception {
        int[] z = {
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106,
            72, 246, 218, 167, 121, 140, 254, 144, 196
        };
        byte[] secret = new byte[z.length];
        for (int i = 0; i < z.length; i++) {
            secret[i] = (byte) z[i];
        }
        byte[] key = SealedAnswer.concatKdf(
                secret,
                "A128GCM",
                "Alice".getBytes(StandardCharsets.US_ASCII),
                "Bob".getBytes(StandardCharsets.US_ASCII),
                128);
        assertEquals(
                "VqqN6vgjbSBcIijNcacQGg",
                Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    }
}
