package dev.crate.server.embedded;

import static dev.crate.server.embedded.EmbeddedTestSupport.assertPrivatePasswordFile;
import static dev.crate.server.embedded.EmbeddedTestSupport.assertRefused;
import static dev.crate.server.embedded.EmbeddedTestSupport.connect;
import static dev.crate.server.embedded.EmbeddedTestSupport.hbaRules;
import static dev.crate.server.embedded.EmbeddedTestSupport.isRoot;
import static dev.crate.server.embedded.EmbeddedTestSupport.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How PostgreSQL runs when Crate runs as root: as an unprivileged account, on files chowned to it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunnerTest {

    @TempDir
    Path tmp;

    @Test
    void asRootRunsPostgresAsAnUnprivilegedAccountWhenAsked() throws Exception {
        assumeTrue(isRoot(), "only meaningful when the tests run as root");
        // the account (nobody) must be able to reach the data directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path dataDir = tmp.resolve("data");
        String password;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, RunAs.OTHER_USER);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
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
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertNotEquals(password, db.password());
            password = db.password();
            assertRefused(db, "");
            assertEquals("kept", queryString(s, "SELECT v FROM t"));
            assertPrivatePasswordFile(dataDir, password);
        }
        // and back to the default way (a user namespace where available, files owned by root)
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertEquals(password, db.password());
            assertEquals("kept", queryString(s, "SELECT v FROM t"));
        }
    }
}
