package dev.crate.server.embedded;

import static dev.crate.server.embedded.EmbeddedTestSupport.assertRefused;
import static dev.crate.server.embedded.EmbeddedTestSupport.connect;
import static dev.crate.server.embedded.EmbeddedTestSupport.isRunning;
import static dev.crate.server.embedded.EmbeddedTestSupport.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The facade's life cycle: a first start, a restart on the kept data, a close. Start real PostgreSQL servers. */
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
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertEquals("crate", queryString(s, "SELECT current_database()"));
                assertEquals(db.user(), queryString(s, "SELECT current_user"));
                assertEquals(
                        "on",
                        queryString(
                                s,
                                "SELECT CASE WHEN rolsuper THEN 'on' END FROM pg_roles "
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
        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            password = db.password();
            s.execute("CREATE TABLE secret (name text PRIMARY KEY, value text)");
            s.execute("INSERT INTO secret VALUES ('api-key', 'sésame')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertEquals(password, db.password(), "the same password after a restart");
            assertEquals("sésame", queryString(s, "SELECT value FROM secret WHERE name = 'api-key'"));
            assertRefused(db, "");
        }
    }

    @Test
    void aBackgroundStartServesOnThePortAndPasswordItAnnouncedAtOnce() throws Exception {
        Path dataDir = tmp.resolve("data");
        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            password = db.password();
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('kept')");
        }
        EmbeddedDatabase.Starting starting = EmbeddedDatabase.begin(dataDir);
        assertEquals(password, starting.password(), "the kept password, known before PostgreSQL serves");
        try (EmbeddedDatabase db = starting.await();
                Connection c =
                        java.sql.DriverManager.getConnection(starting.jdbcUrl(), starting.user(), starting.password());
                Statement s = c.createStatement()) {
            assertEquals(db.jdbcUrl(), starting.jdbcUrl(), "the port announced before the start");
            assertEquals(db.reactiveUrl(), starting.reactiveUrl());
            assertEquals("kept", queryString(s, "SELECT v FROM t"));
        }
    }

    @Test
    void aBackgroundStartKeepsTheAnnouncedPasswordWhenTheClusterRejectsTheFile() throws Exception {
        Path dataDir = tmp.resolve("data");
        String old;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            old = db.password();
        }
        // valid-looking, not the cluster's (a password file restored from another backup)
        String announced = "x".repeat(40);
        Files.writeString(dataDir.resolve("pg-password"), announced + "\n");
        EmbeddedDatabase.Starting starting = EmbeddedDatabase.begin(dataDir);
        assertEquals(announced, starting.password());
        try (EmbeddedDatabase db = starting.await()) {
            assertEquals(announced, db.password(), "the pool was given this one: the cluster takes it");
            assertRefused(db, old);
            connect(db).close();
        }
    }

    @Test
    void aFirstStartThroughBeginInitialisesTheCluster() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase.Starting starting = EmbeddedDatabase.begin(dataDir);
        try (EmbeddedDatabase db = starting.await();
                Connection c = connect(db)) {
            assertEquals(db.password(), starting.password());
            assertTrue(Files.isRegularFile(dataDir.resolve("pg/PG_VERSION")));
        }
    }

    @Test
    void aBackgroundStartThatFailsReportsItsCauseToWhoeverAwaitsIt() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase.start(dataDir).close();
        try (EmbeddedDatabase holder = EmbeddedDatabase.start(dataDir)) {
            EmbeddedDatabase.Starting second = EmbeddedDatabase.begin(dataDir);
            EmbeddedDatabaseException e = assertThrows(EmbeddedDatabaseException.class, second::await);
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            second.close(); // nothing started: closes nothing, throws nothing
            assertTrue(holder.running(), "the running database is left alone");
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
}
