package dev.crate.server.testing;

import dev.crate.server.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database for tests that start real server processes ({@link ServerProcess}) on one shared
 * database: on the machine's PostgreSQL at 127.0.0.1:5432 when it answers (trust auth), else on an
 * embedded one under target/. {@link #close} drops it.
 */
public final class ItDatabase implements AutoCloseable {
    private static final String MACHINE = "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=2";

    private final EmbeddedDatabase embedded;
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    /** The JDBC URL of the fresh database. */
    public final String jdbcUrl;

    private ItDatabase(EmbeddedDatabase embedded, String adminUrl, String user, String password, String prefix)
            throws SQLException {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execOn(adminUrl, "create database " + name);
        this.jdbcUrl = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
    }

    /** A new database named {@code prefix_<random>}. */
    public static ItDatabase create(String prefix) throws Exception {
        try (Connection ignored = DriverManager.getConnection(MACHINE, "postgres", "")) {
            return new ItDatabase(null, MACHINE, "postgres", "", prefix);
        } catch (SQLException none) {
            EmbeddedDatabase embedded =
                    EmbeddedDatabase.start(Path.of("target", "embedded-pg").toAbsolutePath());
            return new ItDatabase(embedded, embedded.jdbcUrl(), embedded.user(), embedded.password(), prefix);
        }
    }

    /** The CRATE_DB_* settings that point a server at this database. */
    public Map<String, String> serverSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("CRATE_DB_URL", jdbcUrl.substring("jdbc:".length()));
        env.put("CRATE_DB_USER", user);
        env.put("CRATE_DB_PASSWORD", password);
        return env;
    }

    /** Runs one statement in this database. */
    public void exec(String sql) throws SQLException {
        execOn(jdbcUrl, sql);
    }

    /** The first column of the first row of a query in this database, as a long. */
    public long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                var s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execOn(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            execOn(adminUrl, "drop database if exists " + name + " with (force)");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
