package dev.crate.server;

import dev.crate.server.embedded.EmbeddedDatabase;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.flywaydb.core.Flyway;

/**
 * Migrates the schema at start, in place of Quarkus' {@code migrate-at-start}: the first start-up
 * observer after the crypto provider report, so the root-key check, the bootstrap and the listeners
 * find the schema current. When {@code CrateMain} starts the embedded PostgreSQL beside Quarkus' boot
 * (a restart), it waits here for it to serve; a database that could not start ends the start with
 * its own message.
 */
@ApplicationScoped
public class Migrations {
    private static volatile EmbeddedDatabase.Starting embedded;

    /** The embedded database being started, which the migrations wait for. */
    static void awaitBeforeMigrating(EmbeddedDatabase.Starting database) {
        embedded = database;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event, Flyway flyway) {
        EmbeddedDatabase.Starting database = embedded;
        if (database != null) {
            database.await();
        }
        flyway.migrate();
    }
}
