package dev.crate.server.testing;

import dev.crate.server.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL of the test's own (the embedded binaries in a temporary directory, on a free port) for
 * fault tests: they stop, restart and starve it, which they must never do to the machine's shared
 * server. The server connects as {@value #ROLE}, an ordinary role (superusers ignore connection
 * limits), with short bounds on waiting for it.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {
    public static final String ROLE = "crate_app";
    public static final String ADMIN_TOKEN = PostgresResource.ADMIN_TOKEN;
    /** What the tested server waits for a pool connection ({@code crate.db.connect-wait}). */
    public static final long CONNECT_WAIT_MILLIS = 1000;
    /** {@code crate.db.statement-timeout} of the tested server. */
    public static final long STATEMENT_TIMEOUT_MILLIS = 2000;

    public static final int POOL_SIZE = 4;

    private static volatile EmbeddedDatabase database;
    private static volatile String rolePassword;

    @Override
    public Map<String, String> start() {
        try {
            database = EmbeddedDatabase.start(Files.createTempDirectory("crate-fault-pg"));
            rolePassword = UUID.randomUUID().toString().replace("-", "");
            try (Connection c = admin();
                    var s = c.createStatement()) {
                s.execute("create role " + ROLE + " login password '" + rolePassword + "'");
                s.execute("create database " + ROLE + " owner " + ROLE);
            }
        } catch (Exception e) {
            throw new IllegalStateException("no private PostgreSQL for the fault tests: " + e.getMessage(), e);
        }
        String url = "postgresql://127.0.0.1:" + database.port() + "/" + ROLE;
        Map<String, String> config = new HashMap<>();
        try {
            config.put(
                    "crate.data-dir",
                    Files.createTempDirectory("crate-fault-data").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("quarkus.datasource.jdbc.url", "jdbc:" + url);
        config.put("quarkus.datasource.reactive.url", url);
        config.put("quarkus.datasource.username", ROLE);
        config.put("quarkus.datasource.password", rolePassword);
        config.put("quarkus.datasource.reactive.max-size", Integer.toString(POOL_SIZE));
        config.put("crate.db.connect-wait", CONNECT_WAIT_MILLIS + "ms");
        config.put("crate.db.statement-timeout", STATEMENT_TIMEOUT_MILLIS + "ms");
        config.put("crate.dev-root-key", "true");
        config.put("crate.bootstrap-token", ADMIN_TOKEN);
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", PostgresResource.LOG_FILE.toString());
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }

    public static EmbeddedDatabase database() {
        return database;
    }

    /** A superuser connection to the private server's maintenance database. */
    public static Connection admin() throws SQLException {
        String url = database.jdbcUrl();
        return DriverManager.getConnection(
                url.substring(0, url.lastIndexOf('/') + 1) + "postgres", database.user(), database.password());
    }

    /** Runs statements as the superuser. */
    public static void sql(String... statements) throws SQLException {
        try (Connection c = admin();
                var s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Ends every session of the server's role (what a PostgreSQL restart does to the pool). */
    public static void terminateSessions() throws SQLException {
        sql("select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + ROLE + "'");
    }

    /**
     * The profile of a fault test: this resource only. The suite's global resources (the shared
     * PostgreSQL, Keycloak) stay off, so nothing else points the datasource elsewhere.
     */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(PrivatePostgresResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }
}
