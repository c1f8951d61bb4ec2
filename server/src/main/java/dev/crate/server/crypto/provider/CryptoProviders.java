package dev.crate.server.crypto.provider;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.spec.MGF1ParameterSpec;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwe.RsaKeyManagementAlgorithm;

/**
 * Puts the Amazon Corretto Crypto Provider (ACCP, AWS-LC inside) first in the JCA provider list, so
 * that RSA, EC, AES-GCM and SHA-2 run natively (P-256 ECDH ~35x, RSA-3072 decryption ~4x faster than
 * the JDK's on Java 17), for Crate's own code and for jose4j alike: jose4j asks JCA for algorithms by
 * name and takes the first provider that has them (its RSA-OAEP-256 is re-registered under a name ACCP
 * serves).
 *
 * <p>Falls back to the JDK providers, and says why in {@link Selection#describe()}, when the native
 * library does not load (another platform, a native image, a missing jar) or when
 * {@code crate.crypto.provider} / {@code CRATE_CRYPTO_PROVIDER} is {@code jdk}. Idempotent: the
 * first call decides for the whole JVM (the provider list is global).
 */
public final class CryptoProviders {
    /** The JCA name ACCP registers under. */
    public static final String ACCP = "AmazonCorrettoCryptoProvider";

    static final String SETTING = "crate.crypto.provider";
    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static Selection selection;

    private CryptoProviders() {}

    /** Installs the provider the setting asks for, once; later calls return the first call's result. */
    public static synchronized Selection install() {
        if (selection == null) {
            selection = install(setting());
            useOaepPaddingInJose4j();
        }
        return selection;
    }

    /**
     * jose4j asks for RSA-OAEP-256 as {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding}, a name ACCP does not
     * register, so it would stay on the JDK; the same operation under the generic name with explicit
     * parameters (as {@code Sealing} does) is served by ACCP and the JDK alike.
     */
    private static void useOaepPaddingInJose4j() {
        RsaKeyManagementAlgorithm oaep256 =
                new RsaKeyManagementAlgorithm("RSA/ECB/OAEPPadding", KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        oaep256.setAlgorithmParameterSpec(
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        AlgorithmFactoryFactory.getInstance()
                .getJweKeyManagementAlgorithmFactory()
                .registerAlgorithm(oaep256);
    }

    /** {@code jdk} or {@code default}, from the system property, else the environment. */
    static String setting() {
        String value = System.getProperty(SETTING);
        if (value == null || value.isBlank()) {
            value = System.getenv("CRATE_CRYPTO_PROVIDER");
        }
        return value == null || value.isBlank() ? "default" : value.trim().toLowerCase(Locale.ROOT);
    }

    private static Selection install(String setting) {
        if ("jdk".equals(setting)) {
            return Selection.of(setting, "JDK providers as asked");
        }
        if (!"default".equals(setting) && !"accp".equals(setting)) {
            return Selection.of(setting, "unknown setting '" + setting + "' (default, accp or jdk): JDK providers");
        }
        if (Security.getProvider(ACCP) != null) {
            // installed already, e.g. by the test launcher in another class loader of this JVM
            return Selection.of(setting, null);
        }
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            return Selection.of(setting, "native image: ACCP is JVM-only, JDK providers");
        }
        try {
            // Reflection keeps ACCP out of native-image analysis and lets the server run without its jar.
            Class<?> type = Class.forName(ACCP_CLASS);
            Provider accp = (Provider) type.getField("INSTANCE").get(null);
            Throwable loadingError =
                    (Throwable) type.getMethod("getLoadingError").invoke(accp);
            if (loadingError != null) {
                return Selection.of(
                        setting,
                        "ACCP did not load (" + loadingError.getClass().getSimpleName() + ": "
                                + loadingError.getMessage() + "): JDK providers");
            }
            type.getMethod("assertHealthy").invoke(accp);
            Security.insertProviderAt(accp, 1);
            return Selection.of(setting, null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Selection.of(setting, "ACCP unavailable (" + cause.getClass().getSimpleName() + "): JDK providers");
        }
    }

    /**
     * Which provider JCA hands out for each primitive Crate uses, seen after installation.
     *
     * @param setting  the value of {@code crate.crypto.provider}
     * @param rsa      RSA-OAEP ({@code RSA/ECB/OAEPPadding}: sealed writes, JWEs to RSA client keys)
     * @param ec       ECDH on P-256 (JWEs to EC client keys)
     * @param aesGcm   AES-GCM (storage envelope, JWE content)
     * @param sha256   SHA-256 (API key hashes, audit chain, JWE key derivation)
     * @param fallback why the JDK providers serve, or {@code null} when ACCP is installed
     */
    public record Selection(String setting, String rsa, String ec, String aesGcm, String sha256, String fallback) {
        static Selection of(String setting, String fallback) {
            return new Selection(
                    setting,
                    provider(() -> Cipher.getInstance("RSA/ECB/OAEPPadding").getProvider()),
                    provider(() -> KeyAgreement.getInstance("ECDH").getProvider()),
                    provider(() -> Cipher.getInstance("AES/GCM/NoPadding").getProvider()),
                    provider(() -> MessageDigest.getInstance("SHA-256").getProvider()),
                    fallback);
        }

        /** True when ACCP serves all four. */
        public boolean accp() {
            return ACCP.equals(rsa) && ACCP.equals(ec) && ACCP.equals(aesGcm) && ACCP.equals(sha256);
        }

        /** One line for the start-up log. */
        public String describe() {
            return "RSA-OAEP " + rsa + ", EC P-256 ECDH " + ec + ", AES-GCM " + aesGcm + ", SHA-256 " + sha256 + " ("
                    + SETTING + "=" + setting + (fallback == null ? "" : "; " + fallback) + ")";
        }

        private static String provider(Lookup lookup) {
            try {
                return lookup.get().getName();
            } catch (GeneralSecurityException e) {
                return "none";
            }
        }
    }

    @FunctionalInterface
    private interface Lookup {
        Provider get() throws GeneralSecurityException;
    }
}
