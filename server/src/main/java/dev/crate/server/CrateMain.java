package dev.crate.server;

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
    private CrateMain() {
    }

    public static void main(String... args) {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment();
        DatabaseSettings.enableOidcWhenConfigured();
        if (settings.external()) {
            settings.apply();
            Quarkus.run(args);
            return;
        }
        EmbeddedDatabase database;
        try {
            database = EmbeddedDatabase.start(settings.dataDir());
        } catch (EmbeddedDatabaseException e) {
            System.err.println("crate-server: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Keeps the JVM alive on SIGTERM until Quarkus has closed its connections, then stops PostgreSQL.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopped.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            database.close();
        }, "crate-embedded-db-stop"));
        try {
            settings.applyEmbedded(database);
            Quarkus.run(args);
        } finally {
            database.close();
            stopped.countDown();
        }
    }
}
