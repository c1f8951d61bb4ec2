package dev.crate.server;

import dev.crate.server.crypto.provider.CryptoProviders;
import dev.crate.server.embedded.EmbeddedDatabase;
import dev.crate.server.embedded.EmbeddedDatabaseException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts Crate. With no database configured it first starts the embedded PostgreSQL in the data
 * directory and points the datasource at it; it stops that database after Quarkus has stopped.
 */
@QuarkusMain
public final class CrateMain {
    private CrateMain() {}

    public static void main(String... args) {
        CryptoProviders.install(); // before anything creates a key or a cipher; logged as CRATE-0050 at start
        DatabaseSettings settings = DatabaseSettings.fromEnvironment();
        DatabaseSettings.enableOidcWhenConfigured();
        if (settings.external()) {
            settings.apply();
            Quarkus.run(WaitForExit.class, (code, failure) -> System.exit(StartFailure.report(code, failure)), args);
            return;
        }
        EmbeddedDatabase database;
        try {
            database = EmbeddedDatabase.start(settings.dataDir());
        } catch (EmbeddedDatabaseException e) {
            System.exit(StartFailure.report(1, e));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // On SIGTERM the JVM runs Quarkus's shutdown hook and this one together: this one waits until
        // Quarkus has stopped (its exit handler below ran), then stops PostgreSQL.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stopped.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            database.close();
                        },
                        "crate-embedded-db-stop"));
        settings.applyEmbedded(database);
        // Quarkus ends its run through the exit handler (System.exit by default), never by returning.
        Quarkus.run(
                WaitForExit.class,
                (code, failure) -> {
                    int exit = StartFailure.report(code, failure);
                    database.close();
                    stopped.countDown();
                    System.exit(exit);
                },
                args);
    }

    /** The default Quarkus application: serve until asked to stop. */
    public static final class WaitForExit implements io.quarkus.runtime.QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
