package dev.crate.server.testing;

import dev.crate.server.crypto.provider.CryptoProviders;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the crypto providers the way the server's start does, before the first test of the JVM, so
 * that plain unit tests run on the same providers as the server (ACCP, or the JDK's under
 * {@code crate.crypto.provider=jdk}) whatever order the tests run in.
 */
public class CryptoProvidersSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CryptoProviders.install();
    }
}
