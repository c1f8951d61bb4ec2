package dev.crate.server.embedded;

import static dev.crate.server.embedded.EmbeddedTestSupport.assertPrivatePasswordFile;
import static dev.crate.server.embedded.EmbeddedTestSupport.assertRefused;
import static dev.crate.server.embedded.EmbeddedTestSupport.connect;
import static dev.crate.server.embedded.EmbeddedTestSupport.hbaRules;
import static dev.crate.server.embedded.EmbeddedTestSupport.isRoot;
import static dev.crate.server.embedded.EmbeddedTestSupport.queryString;
import static dev.crate.server.embedded.EmbeddedTestSupport.queryStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's security: SCRAM-only pg_hba.conf, a random superuser password kept in a private file, and a new
 * password (data kept) for a cluster made with trust authentication or whose password file cannot be trusted.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterTest {

    @TempDir
    Path tmp;

    @Test
    void connectionsNeedTheRandomPasswordKeptInAPrivateFile() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            String password = db.password();
            assertNotNull(password);
            assertTrue(password.length() >= 32, "at least 32 characters");
            assertFalse(db.jdbcUrl().contains(password), "no password in the JDBC URL");
            assertFalse(db.reactiveUrl().contains(password), "no password in the reactive URL");
            assertFalse(db.toString().contains(password), "no password in toString");

            assertRefused(db, "");
            assertRefused(db, "wrong-password");
            assertRefused(db, password.substring(0, password.length() - 1));
            assertRefused(
                    db,
                    password.toUpperCase(Locale.ROOT).equals(password)
                            ? password.toLowerCase(Locale.ROOT)
                            : password.toUpperCase(Locale.ROOT));
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertEquals("1", queryString(s, "SELECT 1"));
                // what the server itself parsed from pg_hba.conf: one SCRAM rule for 127.0.0.1, no trust, no socket
                assertEquals(
                        List.of("host all all 127.0.0.1 255.255.255.255 scram-sha-256"),
                        queryStrings(
                                s,
                                "SELECT concat_ws(' ', type, array_to_string(database, ','), "
                                        + "array_to_string(user_name, ','), address, netmask, auth_method) "
                                        + "FROM pg_hba_file_rules ORDER BY rule_number"));
                assertTrue(
                        queryString(s, "SELECT rolpassword FROM pg_authid WHERE rolname = current_user")
                                .startsWith("SCRAM-SHA-256$"),
                        "password stored as a SCRAM verifier");
            }
            assertPrivatePasswordFile(dataDir, password);
            assertEquals(List.of("host all all 127.0.0.1/32 scram-sha-256"), hbaRules(dataDir));
            assertFalse(Files.readString(dataDir.resolve("pg.log")).contains(password), "no password in pg.log");
            assertFalse(Files.exists(dataDir.resolve("pg-password.initdb")), "initdb's copy deleted");
            assertFalse(Files.exists(dataDir.resolve("pg-password.new")), "no pending password file left");
        }
    }

    @Test
    void upgradesAClusterCreatedWithTrustAuthenticationAndKeepsItsData() throws Exception {
        List<String> prefix = legacyPrefix();
        Path pgHome;
        try (EmbeddedDatabase unpack = EmbeddedDatabase.start(tmp.resolve("unpack"))) {
            pgHome = unpack.pgHome();
        }
        // a data directory exactly as the trust-based Crate left it: initdb -A trust, a database 'crate' with data
        Path dataDir = tmp.resolve("data");
        Path pg = dataDir.resolve("pg");
        Files.createDirectories(dataDir);
        run(
                prefix,
                pgHome.resolve("bin/initdb").toString(),
                "-D",
                pg.toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8");
        int port = freePort();
        run(
                prefix,
                pgHome.resolve("bin/pg_ctl").toString(),
                "start",
                "-w",
                "-D",
                pg.toString(),
                "-l",
                dataDir.resolve("pg.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=");
        try {
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/";
            try (Connection c = DriverManager.getConnection(url + "postgres", "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE crate");
            }
            try (Connection c = DriverManager.getConnection(url + "crate", "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE secret (name text PRIMARY KEY, value text)");
                s.execute("INSERT INTO secret VALUES ('legacy', 'still here')");
            }
        } finally {
            run(prefix, pgHome.resolve("bin/pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", pg.toString());
        }
        assertTrue(Files.readString(pg.resolve("pg_hba.conf")).contains("trust"), "a trust cluster to upgrade");
        assertFalse(Files.exists(dataDir.resolve("pg-password")));

        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            password = db.password();
            assertTrue(password.length() >= 32);
            assertRefused(db, "");
            assertRefused(db, "postgres");
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertEquals("still here", queryString(s, "SELECT value FROM secret WHERE name = 'legacy'"));
            }
            assertPrivatePasswordFile(dataDir, password);
            assertEquals(List.of("host all all 127.0.0.1/32 scram-sha-256"), hbaRules(dataDir));
            assertFalse(Files.readString(dataDir.resolve("pg.log")).contains(password), "no password in pg.log");
        }
        // upgraded once: the next start keeps the password
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertEquals(password, db.password());
            assertEquals("still here", queryString(s, "SELECT value FROM secret WHERE name = 'legacy'"));
        }
    }

    @Test
    void setsANewPasswordWhenTheFileIsLostExposedOrWrong() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path file = dataDir.resolve("pg-password");
        String first;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            first = db.password();
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('kept')");
        }

        Files.delete(file); // lost
        String second = assertStartsWithNewPassword(dataDir, first);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // readable by others
        String third = assertStartsWithNewPassword(dataDir, second);

        // a valid-looking password that is not the cluster's: PostgreSQL rejects it, a new one is set
        Files.writeString(file, "x".repeat(40) + "\n");
        assertStartsWithNewPassword(dataDir, third);
    }

    private String assertStartsWithNewPassword(Path dataDir, String old) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            assertNotEquals(old, db.password(), "a new password");
            assertRefused(db, old);
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertEquals("kept", queryString(s, "SELECT v FROM t"));
            }
            assertPrivatePasswordFile(dataDir, db.password());
            return db.password();
        }
    }

    /** How the trust-based Crate ran the PostgreSQL programs: directly, or as root inside 'unshare -U'. */
    private static List<String> legacyPrefix() throws Exception {
        if (!isRoot()) {
            return List.of();
        }
        Process p = new ProcessBuilder("unshare", "-U", "id", "-u")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(p.waitFor() == 0 && !out.equals("0"), "needs user namespaces when the tests run as root");
        return List.of("unshare", "-U");
    }

    private static void run(List<String> prefix, String... command) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(Arrays.asList(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + argv);
        assertEquals(0, p.exitValue(), argv + ":\n" + out);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
