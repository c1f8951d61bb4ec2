package dev.crate.server.embedded;

import static dev.crate.server.embedded.EmbeddedTestSupport.connect;
import static dev.crate.server.embedded.EmbeddedTestSupport.isRunning;
import static dev.crate.server.embedded.EmbeddedTestSupport.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server left behind is dealt with at the next start: a killed server's stale pid file, a killed JVM's orphan. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostmasterTest {

    @TempDir
    Path tmp;

    @Test
    void recoversFromAKilledServer() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase first = EmbeddedDatabase.start(dataDir);
        try (Connection c = connect(first);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v int)");
            s.execute("INSERT INTO t VALUES (42)");
        }
        long pid = first.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9: postmaster.pid stays behind
        waitUntil(() -> !isRunning(pid));
        assertTrue(Files.exists(dataDir.resolve("pg/postmaster.pid")), "stale postmaster.pid left");
        first.close();

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertEquals("42", queryString(s, "SELECT v FROM t"));
        }
    }

    @Test
    void stopsAServerOrphanedByAKilledJvm() throws Exception {
        Path dataDir = tmp.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", childClasspath(), OrphanMaker.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        long orphan;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
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
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertFalse(isRunning(orphan), "orphan stopped");
            assertNotEquals(orphan, db.pid());
            assertEquals("1", queryString(s, "SELECT 1"));
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

    /** java.class.path plus where the classes and binaries the child JVM needs really come from. */
    private static String childClasspath() throws Exception {
        Set<String> entries = new LinkedHashSet<>(
                Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (String name : List.of(
                OrphanMaker.class.getName(),
                EmbeddedDatabase.class.getName(),
                "io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver",
                "org.postgresql.Driver",
                "org.jboss.logging.Logger",
                "org.apache.commons.compress.archivers.tar.TarArchiveInputStream",
                "org.tukaani.xz.XZInputStream",
                "org.slf4j.LoggerFactory",
                "org.apache.commons.lang3.StringUtils",
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
        Enumeration<URL> binaries =
                EmbeddedDatabaseTest.class.getClassLoader().getResources("postgres-linux-x86_64.txz");
        while (binaries.hasMoreElements()) {
            String url = binaries.nextElement().toString();
            if (url.startsWith("jar:file:")) {
                entries.add(
                        Path.of(URI.create(url.substring(4, url.indexOf("!/")))).toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(20);
        }
    }
}
