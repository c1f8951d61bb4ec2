package dev.crate.server.crypto.provider;

import dev.crate.server.log.LogId;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Says once at start which provider serves RSA, EC, AES-GCM and SHA-256 (log id 0050 in docs/OPERATIONS.md, section 9). Installs
 * them too when the server was started without {@code CrateMain} (tests, dev mode): before any other
 * start-up observer, so the root-key check and the bootstrap already run on them.
 */
@ApplicationScoped
public class CryptoProviderReport {
    private static final Logger LOG = Logger.getLogger(CryptoProviderReport.class);

    void onStart(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, CryptoProviderConfig config) {
        CryptoProviders.Selection selection = CryptoProviders.install();
        if (!config.provider().trim().equalsIgnoreCase(selection.setting())) {
            // a value from a configuration file arrives after the providers were chosen
            LogId.CRYPTO_PROVIDER_SETTING_IGNORED.log(LOG, config.provider());
        }
        LogId.CRYPTO_PROVIDERS.log(LOG, selection.describe());
    }
}
