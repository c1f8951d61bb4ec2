package dev.crate.server.testing;

import dev.crate.server.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL for the tests: a fresh database on the machine's server (127.0.0.1:5432, trust
 * auth) when there is one, else the embedded server in target/. Dropped afterwards.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_TOKEN = "crate_testBootstrapAdminKey0000000000000000000000000000";
    public static final Path LOG_FILE = Path.of("target", "crate-test.log").toAbsolutePath();

    private static volatile String jdbcUrl;
    private static volatile String user;
    private static volatile String password = "";
    private static volatile String databaseName;
    private EmbeddedDatabase embedded;
    private String machineAdminUrl;

    @Override
    public Map<String, String> start() {
        databaseName =
                "crate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> config = new HashMap<>();
        try {
            Path dataDir = Files.createTempDirectory("crate-test-data");
            config.put("crate.data-dir", dataDir.toString());
            if (machineServerAvailable()) {
                user = "postgres";
                exec(machineAdminUrl, "create database " + databaseName);
                jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/" + databaseName;
            } else {
                embedded =
                        EmbeddedDatabase.start(Path.of("target", "embedded-pg").toAbsolutePath());
                user = embedded.user();
                password = embedded.password();
                String admin = embedded.jdbcUrl();
                exec(admin, "create database " + databaseName);
                jdbcUrl = admin.substring(0, admin.lastIndexOf('/') + 1) + databaseName;
            }
        } catch (Exception e) {
            throw new IllegalStateException("no PostgreSQL for the tests: " + e.getMessage(), e);
        }
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.reactive.url", jdbcUrl.substring("jdbc:".length()));
        config.put("quarkus.datasource.username", user);
        config.put("quarkus.datasource.password", password);
        config.put("crate.dev-root-key", "true");
        config.put("crate.bootstrap-token", ADMIN_TOKEN);
        config.put("crate.bootstrap-admins", "bob@example.com");
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", LOG_FILE.toString());
        return config;
    }

    @Override
    public void stop() {
        try {
            String admin = embedded != null ? embedded.jdbcUrl() : machineAdminUrl;
            exec(admin, "drop database if exists " + databaseName + " with (force)");
        } catch (SQLException e) {
            // the database dies with the embedded server or stays for inspection; nothing to fail here
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    /** A JDBC connection to the test database, for tests that inspect or tamper with stored rows. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    public static String jdbcUrl() {
        return jdbcUrl;
    }

    public static String user() {
        return user;
    }

    /** The database password ("" for the machine's trust-auth server). */
    public static String password() {
        return password;
    }

    public static String databaseName() {
        return databaseName;
    }

    private boolean machineServerAvailable() {
        if ("embedded".equals(System.getenv("CRATE_TEST_DB"))) {
            return false;
        }
        machineAdminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=2";
        try (Connection ignored = DriverManager.getConnection(machineAdminUrl, "postgres", "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
