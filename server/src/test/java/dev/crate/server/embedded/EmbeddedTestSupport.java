package dev.crate.server.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Connections and assertions shared by the tests that start a real embedded PostgreSQL. */
final class EmbeddedTestSupport {

    private EmbeddedTestSupport() {}

    static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** A connection as the superuser with this password fails authentication. */
    static void assertRefused(EmbeddedDatabase db, String password) {
        SQLException e = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), db.user(), password)
                        .close());
        // 28P01 invalid_password; 08004 is what the driver reports when it has no password to send
        assertTrue(List.of("28P01", "08004").contains(e.getSQLState()), e.getSQLState() + ": " + e.getMessage());
    }

    static void assertPrivatePasswordFile(Path dataDir, String password) throws Exception {
        Path file = dataDir.resolve("pg-password");
        Map<String, Object> attrs = Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)),
                "pg-password mode 0600");
        assertEquals(0100600, (Integer) attrs.get("mode"), "a regular file with mode 0600");
        assertEquals(
                Files.getAttribute(Path.of("/proc/self"), "unix:uid"),
                attrs.get("uid"),
                "pg-password owned by the JVM's user");
        assertEquals(password + "\n", Files.readString(file));
    }

    /** The non-comment lines of dataDir/pg/pg_hba.conf, whitespace collapsed. */
    static List<String> hbaRules(Path dataDir) throws Exception {
        List<String> rules = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("pg/pg_hba.conf"))) {
            String rule = line.replaceFirst("#.*", "").trim().replaceAll("\\s+", " ");
            if (!rule.isEmpty()) {
                rules.add(rule);
            }
        }
        return rules;
    }

    static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from " + sql);
            return rs.getString(1);
        }
    }

    static List<String> queryStrings(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
            return state != 'Z' && state != 'X';
        } catch (Exception e) {
            return false;
        }
    }

    static boolean isRoot() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
