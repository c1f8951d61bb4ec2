package dev.crate.server;

import dev.crate.server.crypto.provider.CryptoProviders;
import dev.crate.server.embedded.EmbeddedDatabase;
import dev.crate.server.embedded.EmbeddedDatabaseException;
import dev.crate.server.log.LogId;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts Crate. With no database configured it starts the embedded PostgreSQL in the data directory
 * (beside Quarkus' boot on a restart; {@link Migrations} awaits it) and points the datasource at it; it
 * stops that database after Quarkus has stopped.
 */
@QuarkusMain
public final class CrateMain {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CrateMain.class);
    private static final int MAX_RESTARTS = 5;

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
        EmbeddedDatabase.Starting database;
        try {
            // On a restart PostgreSQL starts beside Quarkus' boot; the migrations await it (Migrations).
            database = EmbeddedDatabase.begin(settings.dataDir());
        } catch (EmbeddedDatabaseException e) {
            System.exit(StartFailure.report(1, e));
            return;
        }
        Migrations.awaitBeforeMigrating(database);
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
        // A postmaster that dies under a running server (killed, crashed) is started again on the same
        // port; requests answer 503 meanwhile (docs/OPERATIONS.md, section 2).
        database.whenStarted(started -> watch(started));
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

    private static void watch(EmbeddedDatabase database) {
        database.watch(java.time.Duration.ofSeconds(1), MAX_RESTARTS, new EmbeddedDatabase.Watch() {
            @Override
            public void gone(long pid, int attempt, int max) {
                LogId.EMBEDDED_DATABASE_GONE.log(LOG, pid, attempt, max);
            }

            @Override
            public void restarted(int port, long millis) {
                LogId.EMBEDDED_DATABASE_RESTARTED.log(LOG, port, millis);
            }

            @Override
            public void gaveUp(int attempts, String reason) {
                LogId.EMBEDDED_DATABASE_GAVE_UP.log(LOG, attempts, reason);
                Quarkus.asyncExit(1);
            }
        });
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
