package dev.crate.server.crypto.provider;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code crate.crypto.provider} ({@code CRATE_CRYPTO_PROVIDER}): {@code default} puts the Amazon Corretto
 * Crypto Provider first where its native library loads; {@code jdk} keeps the JDK providers. Read by
 * {@link CryptoProviders} before the configuration exists; declared here so that it is a known setting.
 */
@ConfigMapping(prefix = "crate.crypto")
public interface CryptoProviderConfig {
    /** {@code default} (ACCP where it loads) or {@code jdk}. */
    @WithDefault("default")
    String provider();
}
