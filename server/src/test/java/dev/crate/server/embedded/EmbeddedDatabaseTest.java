package dev.crate.server.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.CodeSource;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Plain JUnit tests of the embedded PostgreSQL launcher; they start real PostgreSQL servers. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedDatabaseTest {

    @TempDir
    Path tmp;

    @Test
    void initialisesOnFirstStartAndAcceptsJdbcConnections() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            assertTrue(Files.isRegularFile(dataDir.resolve("pg/PG_VERSION")), "cluster in dataDir/pg");
            assertTrue(db.port() > 0);
            assertEquals("crate", db.database());
            assertEquals("jdbc:postgresql://127.0.0.1:" + db.port() + "/crate", db.jdbcUrl());
            assertEquals("postgresql://127.0.0.1:" + db.port() + "/crate", db.reactiveUrl());
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                assertEquals("crate", queryString(s, "SELECT current_database()"));
                assertEquals(db.user(), queryString(s, "SELECT current_user"));
                assertEquals("on", queryString(s, "SELECT CASE WHEN rolsuper THEN 'on' END FROM pg_roles "
                        + "WHERE rolname = current_user"));
                assertEquals("127.0.0.1", queryString(s, "SHOW listen_addresses"));
                assertEquals("", queryString(s, "SHOW unix_socket_directories"));
                assertEquals("UTF8", queryString(s, "SHOW server_encoding"));
            }
        }
    }

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
            assertRefused(db, password.toUpperCase(Locale.ROOT).equals(password)
                    ? password.toLowerCase(Locale.ROOT) : password.toUpperCase(Locale.ROOT));
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                assertEquals("1", queryString(s, "SELECT 1"));
                // what the server itself parsed from pg_hba.conf: one SCRAM rule for 127.0.0.1, no trust, no socket
                assertEquals(List.of("host all all 127.0.0.1 255.255.255.255 scram-sha-256"),
                        queryStrings(s, "SELECT concat_ws(' ', type, array_to_string(database, ','), "
                                + "array_to_string(user_name, ','), address, netmask, auth_method) "
                                + "FROM pg_hba_file_rules ORDER BY rule_number"));
                assertTrue(queryString(s, "SELECT rolpassword FROM pg_authid WHERE rolname = current_user")
                        .startsWith("SCRAM-SHA-256$"), "password stored as a SCRAM verifier");
            }
            assertPrivatePasswordFile(dataDir, password);
            assertEquals(List.of("host all all 127.0.0.1/32 scram-sha-256"), hbaRules(dataDir));
            assertFalse(Files.readString(dataDir.resolve("pg.log")).contains(password), "no password in pg.log");
            assertFalse(Files.exists(dataDir.resolve("pg-password.initdb")), "initdb's copy deleted");
            assertFalse(Files.exists(dataDir.resolve("pg-password.new")), "no pending password file left");
        }
    }

    @Test
    void keepsDataAcrossRestarts() throws Exception {
        Path dataDir = tmp.resolve("data");
        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            password = db.password();
            s.execute("CREATE TABLE secret (name text PRIMARY KEY, value text)");
            s.execute("INSERT INTO secret VALUES ('api-key', 'sésame')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertEquals(password, db.password(), "the same password after a restart");
            assertEquals("sésame", queryString(s, "SELECT value FROM secret WHERE name = 'api-key'"));
            assertRefused(db, "");
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
        run(prefix, pgHome.resolve("bin/initdb").toString(), "-D", pg.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8");
        int port = freePort();
        run(prefix, pgHome.resolve("bin/pg_ctl").toString(), "start", "-w", "-D", pg.toString(),
                "-l", dataDir.resolve("pg.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=");
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
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                assertEquals("still here", queryString(s, "SELECT value FROM secret WHERE name = 'legacy'"));
            }
            assertPrivatePasswordFile(dataDir, password);
            assertEquals(List.of("host all all 127.0.0.1/32 scram-sha-256"), hbaRules(dataDir));
            assertFalse(Files.readString(dataDir.resolve("pg.log")).contains(password), "no password in pg.log");
        }
        // upgraded once: the next start keeps the password
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
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
             Connection c = connect(db); Statement s = c.createStatement()) {
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
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                assertEquals("kept", queryString(s, "SELECT v FROM t"));
            }
            assertPrivatePasswordFile(dataDir, db.password());
            return db.password();
        }
    }

    @Test
    void closeIsIdempotentAndStopsTheServer() throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("data"));
        long pid = db.pid();
        db.close();
        db.close();
        assertFalse(isRunning(pid), "postgres process gone after close");
        assertFalse(Files.exists(db.pgData().resolve("postmaster.pid")), "clean shutdown removes postmaster.pid");
        assertThrows(SQLException.class, () -> connect(db).close());
        db.close();
    }

    @Test
    void explainsADataDirThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        Path dataDir = file.resolve("data");

        EmbeddedDatabaseException e = assertThrows(EmbeddedDatabaseException.class,
                () -> EmbeddedDatabase.start(dataDir));

        assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertTrue(e.getMessage().contains("CRATE_DB_URL"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no stack-trace talk: " + e.getMessage());
    }

    @Test
    void refusesASecondServerOnTheSameDataDir() {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            EmbeddedDatabaseException e = assertThrows(EmbeddedDatabaseException.class,
                    () -> EmbeddedDatabase.start(dataDir));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }

    @Test
    void recoversFromAKilledServer() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase first = EmbeddedDatabase.start(dataDir);
        try (Connection c = connect(first); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v int)");
            s.execute("INSERT INTO t VALUES (42)");
        }
        long pid = first.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9: postmaster.pid stays behind
        waitUntil(() -> !isRunning(pid));
        assertTrue(Files.exists(dataDir.resolve("pg/postmaster.pid")), "stale postmaster.pid left");
        first.close();

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertEquals("42", queryString(s, "SELECT v FROM t"));
        }
    }

    @Test
    void stopsAServerOrphanedByAKilledJvm() throws Exception {
        Path dataDir = tmp.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", childClasspath(),
                OrphanMaker.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        long orphan;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            String ready = null;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("READY ")) {
                    ready = line;
                    break;
                }
            }
            assertTrue(ready != null, "child JVM started a server:\n" + seen);
            orphan = Long.parseLong(ready.substring("READY ".length()).trim());
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(isRunning(orphan), "the killed JVM left its postgres running");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertFalse(isRunning(orphan), "orphan stopped");
            assertNotEquals(orphan, db.pid());
            assertEquals("1", queryString(s, "SELECT 1"));
        }
    }

    @Test
    void asRootRunsPostgresAsAnUnprivilegedAccountWhenAsked() throws Exception {
        assumeTrue(isRoot(), "only meaningful when the tests run as root");
        // the account (nobody) must be able to reach the data directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path dataDir = tmp.resolve("data");
        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, RunAs.OTHER_USER);
             Connection c = connect(db); Statement s = c.createStatement()) {
            password = db.password();
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('kept')");
            assertNotEquals(0, Files.getAttribute(dataDir.resolve("pg"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertNotEquals(0, Files.getAttribute(Path.of("/proc", Long.toString(db.pid())), "unix:uid"));
            assertRefused(db, "");
            // the password file stays root's and private; initdb's readable copy is gone
            assertPrivatePasswordFile(dataDir, password);
            assertFalse(Files.exists(dataDir.resolve("pg-password.initdb")), "initdb's copy deleted");
            assertEquals(List.of("host all all 127.0.0.1/32 scram-sha-256"), hbaRules(dataDir));
        }
        // a lost password file: the new password is set in single-user mode, run as that account too
        Files.delete(dataDir.resolve("pg-password"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, RunAs.OTHER_USER);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertNotEquals(password, db.password());
            password = db.password();
            assertRefused(db, "");
            assertEquals("kept", queryString(s, "SELECT v FROM t"));
            assertPrivatePasswordFile(dataDir, password);
        }
        // and back to the default way (a user namespace where available, files owned by root)
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertEquals(password, db.password());
            assertEquals("kept", queryString(s, "SELECT v FROM t"));
        }
    }

    /** Started in a separate JVM by {@link #stopsAServerOrphanedByAKilledJvm()}. */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
            System.out.println("READY " + db.pid());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** java.class.path plus where the classes and binaries the child JVM needs really come from. */
    private static String childClasspath() throws Exception {
        Set<String> entries = new LinkedHashSet<>(Arrays.asList(
                System.getProperty("java.class.path").split(File.pathSeparator)));
        for (String name : List.of(OrphanMaker.class.getName(), EmbeddedDatabase.class.getName(),
                "io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver", "org.postgresql.Driver",
                "org.jboss.logging.Logger", "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
                "org.tukaani.xz.XZInputStream", "org.slf4j.LoggerFactory", "org.apache.commons.lang3.StringUtils",
                "org.apache.commons.io.IOUtils")) {
            try {
                CodeSource source = Class.forName(name).getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    entries.add(Path.of(source.getLocation().toURI()).toString());
                }
            } catch (ClassNotFoundException | RuntimeException notThere) {
                // not needed by this zonky version
            }
        }
        Enumeration<URL> binaries = EmbeddedDatabaseTest.class.getClassLoader().getResources(
                "postgres-linux-x86_64.txz");
        while (binaries.hasMoreElements()) {
            String url = binaries.nextElement().toString();
            if (url.startsWith("jar:file:")) {
                entries.add(Path.of(URI.create(url.substring(4, url.indexOf("!/")))).toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** A connection as the superuser with this password fails authentication. */
    private static void assertRefused(EmbeddedDatabase db, String password) {
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), db.user(), password).close());
        // 28P01 invalid_password; 08004 is what the driver reports when it has no password to send
        assertTrue(List.of("28P01", "08004").contains(e.getSQLState()), e.getSQLState() + ": " + e.getMessage());
    }

    private static void assertPrivatePasswordFile(Path dataDir, String password) throws Exception {
        Path file = dataDir.resolve("pg-password");
        Map<String, Object> attrs = Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file,
                LinkOption.NOFOLLOW_LINKS)), "pg-password mode 0600");
        assertEquals(0100600, (Integer) attrs.get("mode"), "a regular file with mode 0600");
        assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"), attrs.get("uid"),
                "pg-password owned by the JVM's user");
        assertEquals(password + "\n", Files.readString(file));
    }

    /** The non-comment lines of dataDir/pg/pg_hba.conf, whitespace collapsed. */
    private static List<String> hbaRules(Path dataDir) throws Exception {
        List<String> rules = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("pg/pg_hba.conf"))) {
            String rule = line.replaceFirst("#.*", "").trim().replaceAll("\\s+", " ");
            if (!rule.isEmpty()) {
                rules.add(rule);
            }
        }
        return rules;
    }

    /** How the trust-based Crate ran the PostgreSQL programs: directly, or as root inside 'unshare -U'. */
    private static List<String> legacyPrefix() throws Exception {
        if (!isRoot()) {
            return List.of();
        }
        Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
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

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from " + sql);
            return rs.getString(1);
        }
    }

    private static List<String> queryStrings(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 1).trim().charAt(0);
            return state != 'Z' && state != 'X';
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isRoot() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(20);
        }
    }
}
