package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.deleteQuietly;
import static dev.crate.server.embedded.FileOps.deleteTree;
import static dev.crate.server.embedded.FileOps.isEmptyDirectory;
import static dev.crate.server.embedded.FileOps.writePrivateFile;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;
import static dev.crate.server.embedded.PasswordFile.PASSWORD_FILE;
import static dev.crate.server.embedded.Passwords.newPassword;
import static dev.crate.server.embedded.Passwords.scramVerifier;
import static dev.crate.server.embedded.Postmaster.HOST;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The database cluster in {@code <dataDir>/pg}: created by initdb on first use (in a staging directory, moved into
 * place when complete), its {@code pg_hba.conf} allowing only SCRAM connections from 127.0.0.1, the superuser's
 * password (set anew in single-user mode when the kept one cannot be used), and Crate's database in it.
 */
final class Cluster {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    static final String DATABASE = "crate";
    static final String SUPERUSER = "postgres";
    /** The whole of pg_hba.conf: password (SCRAM) connections over TCP from 127.0.0.1, nothing else. */
    static final String HBA_CONF = "# Written by Crate at every start of its embedded PostgreSQL; changes are lost.\n"
            + "# Only SCRAM password connections from 127.0.0.1 (the password is kept in ../" + PASSWORD_FILE + ").\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n";

    private final Path base;
    private final Path pgData;
    private final Path logFile;
    private final Runner runner;
    private final Path pgHome;
    final PasswordFile passwordFile;
    /** The superuser's password, once known (set by initialiseIfNeeded or secureExistingCluster). */
    private String password;

    Cluster(DataDirectory dir, Runner runner, Path pgHome) {
        this.base = dir.base;
        this.pgData = dir.pgData;
        this.logFile = dir.logFile;
        this.runner = runner;
        this.pgHome = pgHome;
        this.passwordFile = new PasswordFile(dir.base);
    }

    /** The superuser's password, once initialiseIfNeeded or secureExistingCluster has run. */
    String password() {
        return password;
    }

    private String bin(String name) {
        return pgHome.resolve("bin").resolve(name).toString();
    }

    boolean initialiseIfNeeded() {
        if (Files.isRegularFile(pgData.resolve("PG_VERSION"))) {
            runner.takeOwnership(pgData);
            return false;
        }
        if (Files.exists(pgData, LinkOption.NOFOLLOW_LINKS)) {
            if (!isEmptyDirectory(pgData)) {
                throw new EmbeddedDatabaseException("Could not start the embedded PostgreSQL database: "
                        + pgData + " exists but is not a PostgreSQL data directory (it has no PG_VERSION "
                        + "file), so Crate will not touch it. Move it away or choose another data directory, "
                        + ESCAPE_HATCH);
            }
            deleteTree(pgData);
        }
        Path staging = base.resolve("pg.initialising");
        deleteTree(staging);
        try {
            Files.createDirectory(
                    staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not create " + staging + " for the embedded PostgreSQL " + "database (" + describe(e)
                            + "). Check the permissions of " + base + ", " + ESCAPE_HATCH,
                    e);
        }
        runner.takeOwnership(staging);
        // the password is kept first: a cluster in dataDir/pg always has its password file beside it
        String newPassword = newPassword();
        passwordFile.store(newPassword);
        // initdb reads the password from a file, which the account it runs as must be able to read
        Path pwfile = base.resolve(PASSWORD_FILE + ".initdb");
        ProcessResult result;
        try {
            writePrivateFile(pwfile, newPassword + "\n");
            runner.takeOwnership(pwfile);
            List<String> initdb = runner.command(
                    bin("initdb"),
                    "-D",
                    staging.toString(),
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "--pwfile=" + pwfile,
                    "-U",
                    SUPERUSER,
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--locale-provider=builtin",
                    "--builtin-locale=C.UTF-8",
                    "--sync-method=syncfs");
            result = Processes.run(initdb, 300);
        } catch (IOException e) {
            deleteTree(staging);
            throw new EmbeddedDatabaseException(
                    "Could not write the password file " + pwfile + " for the "
                            + "embedded PostgreSQL database (" + describe(e) + "). Check the permissions of " + base
                            + ", " + ESCAPE_HATCH,
                    e);
        } finally {
            deleteQuietly(pwfile);
        }
        if (result.exitCode != 0) {
            deleteTree(staging);
            throw new EmbeddedDatabaseException("Could not initialise a new PostgreSQL database cluster in "
                    + pgData + ": initdb failed" + result.summary() + "." + runner.accessHint(base)
                    + " Fix the cause and start Crate again, " + ESCAPE_HATCH);
        }
        writeHbaConf(staging);
        try {
            Files.move(staging, pgData, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not move the new PostgreSQL database cluster from "
                            + staging + " to " + pgData + " (" + describe(e) + "). Check the permissions of " + base
                            + ", " + ESCAPE_HATCH,
                    e);
        }
        password = newPassword;
        return true;
    }

    /**
     * For a cluster that already existed: makes pg_hba.conf allow only SCRAM connections from 127.0.0.1, and
     * makes sure the superuser has the password kept in the password file. A cluster created by an earlier
     * Crate with trust authentication has no password file: it gets a password here, and keeps its data. Runs
     * while no server is running on the cluster.
     */
    void secureExistingCluster() {
        Path hba = pgData.resolve("pg_hba.conf");
        String current;
        try {
            current = Files.readString(hba, StandardCharsets.UTF_8);
        } catch (IOException e) {
            current = null;
        }
        if (!HBA_CONF.equals(current)) {
            LOG.infof("rewriting %s to allow only password (SCRAM) connections from %s", hba, HOST);
            writeHbaConf(pgData);
        }
        PasswordFile.Reading kept = passwordFile.read();
        if (kept.problem() != null) {
            resetPassword(kept.problem());
        } else {
            password = kept.password();
        }
    }

    /**
     * Gives the superuser a new random password, set in single-user mode (no server may be running on the
     * cluster), and keeps it in the password file.
     */
    void resetPassword(String why) {
        resetPassword(why, newPassword());
    }

    /**
     * As {@link #resetPassword(String)}, with the password given: the one the connection pool was already
     * given when PostgreSQL starts beside the server's boot ({@link EmbeddedDatabase#begin}).
     */
    void resetPassword(String why, String newPassword) {
        LOG.warnf("setting a new password for the embedded PostgreSQL superuser '%s': %s", SUPERUSER, why);
        String verifier = scramVerifier(newPassword);
        // sent on standard input (never on a command line), and only the SCRAM verifier, not the password
        String sql = "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier + "';\n";
        List<String> single = runner.command(
                bin("postgres"),
                "--single",
                "-D",
                pgData.toString(),
                "-c",
                "exit_on_error=on",
                "-c",
                "log_min_error_statement=panic",
                "-c",
                "log_statement=none",
                "-c",
                "recovery_init_sync_method=syncfs",
                "postgres");
        ProcessResult raw = Processes.run(single, 300, sql.getBytes(StandardCharsets.UTF_8));
        ProcessResult result = new ProcessResult(raw.exitCode, raw.output.replace(verifier, "(hidden)"));
        if (result.exitCode != 0) {
            throw new EmbeddedDatabaseException("Could not set a password for the superuser '" + SUPERUSER
                    + "' of the embedded PostgreSQL database in " + pgData + " (needed because " + why
                    + "): PostgreSQL in single-user mode failed" + result.summary() + "."
                    + runner.accessHint(base) + " Fix the cause and start Crate again, " + ESCAPE_HATCH);
        }
        passwordFile.store(newPassword);
        password = newPassword;
    }

    /** Writes dir/pg_hba.conf (replacing it atomically), readable by the account PostgreSQL runs as. */
    private void writeHbaConf(Path dir) {
        Path hba = dir.resolve("pg_hba.conf");
        Path pending = dir.resolve("pg_hba.conf.crate-new");
        try {
            writePrivateFile(pending, HBA_CONF);
            runner.takeOwnership(pending);
            Files.move(pending, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileOps.fsyncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(pending);
            throw new EmbeddedDatabaseException(
                    "Could not write " + hba + " for the embedded PostgreSQL " + "database (" + describe(e)
                            + "). Check the permissions of " + dir + ", " + ESCAPE_HATCH,
                    e);
        }
    }

    /** Creates the database if it does not exist; false if the server rejected the password. */
    boolean createDatabaseIfMissing(int port) {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "crate-embedded-setup");
        String url = "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
        try (Connection c = new org.postgresql.Driver().connect(url, props)) {
            if (c == null) {
                throw new SQLException("the PostgreSQL JDBC driver did not accept " + url);
            }
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + DATABASE);
                }
            }
            return true;
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState())) { // invalid_password
                return false;
            }
            throw new EmbeddedDatabaseException(
                    "The embedded PostgreSQL server started on port " + port
                            + " but Crate could not connect to it to create its database '" + DATABASE + "' ("
                            + describe(e) + "). See " + logFile + " for the server log, " + ESCAPE_HATCH,
                    e);
        }
    }
}
