package dev.crate.server.crypto.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crate.server.crypto.sealing.ClientKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.Test;

/**
 * ACCP first where it loads, the JDK's providers when asked; jose4j on whichever is installed. The
 * default surefire run checks the first, the crypto-jdk-fallback run the second.
 */
class CryptoProvidersTest {
    private static final byte[] PAYLOAD =
            "{\"secrets\":[{\"name\":\"A\",\"value\":\"v\"}]}".getBytes(StandardCharsets.UTF_8);
    private static final boolean ACCP_PLATFORM =
            "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));

    private static boolean jdkAsked() {
        return "jdk".equals(CryptoProviders.setting());
    }

    @Test
    void installsCorrettoFirstWhereItsNativeLibraryLoads() {
        assumeTrue(ACCP_PLATFORM && !jdkAsked());
        CryptoProviders.Selection selection = CryptoProviders.install();
        assertNull(selection.fallback(), selection.describe());
        assertTrue(selection.accp(), selection.describe());
        assertEquals(CryptoProviders.ACCP, Security.getProviders()[0].getName());
    }

    @Test
    void keepsTheJdkProvidersWhenAskedTo() {
        assumeTrue(jdkAsked());
        CryptoProviders.Selection selection = CryptoProviders.install();
        assertNull(Security.getProvider(CryptoProviders.ACCP));
        assertFalse(selection.accp());
        assertEquals("SunJCE", selection.rsa());
        assertEquals("SunEC", selection.ec());
        assertEquals("SunJCE", selection.aesGcm());
        assertEquals("SUN", selection.sha256());
    }

    @Test
    void jose4jAsksForTheAlgorithmsOfTheInstalledProvider() throws Exception {
        CryptoProviders.Selection selection = CryptoProviders.install();
        // jose4j, with no ProviderContext of its own, takes these names from JCA: the first provider wins
        var keyManagement = AlgorithmFactoryFactory.getInstance().getJweKeyManagementAlgorithmFactory();
        var content = AlgorithmFactoryFactory.getInstance().getJweContentEncryptionAlgorithmFactory();
        String ecdh = keyManagement
                .getAlgorithm(KeyManagementAlgorithmIdentifiers.ECDH_ES)
                .getJavaAlgorithm();
        String gcm = content.getAlgorithm(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM)
                .getJavaAlgorithm();
        String oaep = keyManagement
                .getAlgorithm(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256)
                .getJavaAlgorithm();
        assertEquals(
                selection.ec(), KeyAgreement.getInstance(ecdh).getProvider().getName());
        assertEquals(selection.aesGcm(), Cipher.getInstance(gcm).getProvider().getName());
        assertEquals(selection.rsa(), Cipher.getInstance(oaep).getProvider().getName(), oaep);
    }

    @Test
    void ecdhEsAnswerToAKeyOfTheInstalledProviderOpens() throws Exception {
        KeyPair client = p256(null);
        String jwe =
                ClientKey.fromJwk(publicJwk(client)).seal(PAYLOAD, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        assertArrayEquals(PAYLOAD, open(jwe, client, null));
    }

    @Test
    void ecdhEsAnswerToAJdkMadeKeyOpensWithTheJdkAlone() throws Exception {
        // a client on a plain JDK (the CLI) gets answers the server sealed on ACCP
        KeyPair client = p256(Security.getProvider("SunEC"));
        String jwe =
                ClientKey.fromJwk(publicJwk(client)).seal(PAYLOAD, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        assertArrayEquals(PAYLOAD, open(jwe, client, "SunEC"));
    }

    @Test
    void rsaOaepAnswerOpensWithTheJdkAlone() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        generator.initialize(3072);
        KeyPair client = generator.generateKeyPair();
        Map<String, Object> jwk =
                JsonWebKey.Factory.newJwk(client.getPublic()).toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        String jwe = ClientKey.fromJwk(jwk).seal(PAYLOAD, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        assertArrayEquals(PAYLOAD, open(jwe, client, "SunJCE"));
    }

    private static KeyPair p256(Provider provider) throws Exception {
        KeyPairGenerator generator =
                provider == null ? KeyPairGenerator.getInstance("EC") : KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Map<String, Object> publicJwk(KeyPair pair) {
        return new EllipticCurveJsonWebKey((ECPublicKey) pair.getPublic())
                .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Opens {@code jwe} with jose4j, on {@code provider} for every primitive when given. */
    private static byte[] open(String jwe, KeyPair pair, String provider) throws Exception {
        JsonWebEncryption opener = new JsonWebEncryption();
        if (provider != null) {
            ProviderContext context = new ProviderContext();
            for (ProviderContext.Context c :
                    Arrays.asList(context.getSuppliedKeyProviderContext(), context.getGeneralProviderContext())) {
                c.setGeneralProvider(provider);
                c.setCipherProvider("SunJCE"); // AES-GCM and RSA-OAEP: SunEC has neither
                c.setMessageDigestProvider("SUN"); // the ECDH-ES key derivation's SHA-256
            }
            opener.setProviderContext(context);
        }
        opener.setCompactSerialization(jwe);
        opener.setKey(pair.getPrivate());
        return opener.getPlaintextBytes();
    }
}
