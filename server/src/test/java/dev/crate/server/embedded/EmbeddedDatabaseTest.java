package dev.crate.server.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
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
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void keepsDataAcrossRestarts() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secret (name text PRIMARY KEY, value text)");
            s.execute("INSERT INTO secret VALUES ('api-key', 'sésame')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
            assertEquals("sésame", queryString(s, "SELECT value FROM secret WHERE name = 'api-key'"));
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
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, EmbeddedDatabase.RunAs.OTHER_USER);
             Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('kept')");
            assertNotEquals(0, Files.getAttribute(dataDir.resolve("pg"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertNotEquals(0, Files.getAttribute(Path.of("/proc", Long.toString(db.pid())), "unix:uid"));
        }
        // and back to the default way (a user namespace where available, files owned by root)
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
             Connection c = connect(db); Statement s = c.createStatement()) {
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
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "a row from " + sql);
            return rs.getString(1);
        }
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
