package dev.crate.server.embedded;

import static dev.crate.server.embedded.EmbeddedTestSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A postmaster killed under a running server is started again on the same port, with its data. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WatchdogTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledPostmasterIsRestartedOnTheSamePortWithItsData() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("data"))) {
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v int)");
                s.execute("INSERT INTO t VALUES (42)");
            }
            String url = db.jdbcUrl();
            db.watch(Duration.ofMillis(200), 3, new EmbeddedDatabase.Watch() {
                @Override
                public void gone(long pid, int attempt, int max) {
                    events.add("gone " + pid);
                }

                @Override
                public void restarted(int port, long millis) {
                    events.add("restarted " + port);
                }

                @Override
                public void gaveUp(int attempts, String reason) {
                    events.add("gave up " + reason);
                }
            });
            long killed = db.pid();
            new ProcessBuilder("kill", "-9", Long.toString(killed)).start().waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!events.contains("restarted " + db.port()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(List.of("gone " + killed, "restarted " + db.port()), events);
            assertTrue(db.running());
            assertNotEquals(killed, db.pid());
            assertEquals(url, db.jdbcUrl());
            try (Connection c = connect(db);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT v FROM t")) {
                assertTrue(r.next());
                assertEquals(42, r.getInt(1));
            }
        }
    }
}
