package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.readFrom;
import static dev.crate.server.embedded.FileOps.readLines;
import static dev.crate.server.embedded.FileOps.size;
import static dev.crate.server.embedded.Messages.ALTERNATIVE;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;
import static dev.crate.server.embedded.Messages.relevantLines;
import static dev.crate.server.embedded.PostmasterProcess.isPostmasterOf;
import static dev.crate.server.embedded.PostmasterProcess.sharedMemoryAttachments;
import static dev.crate.server.embedded.PostmasterProcess.stopPostmaster;
import static dev.crate.server.embedded.Processes.sleep;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL server on a cluster, run through {@code pg_ctl}: started on a free port on 127.0.0.1 (no Unix
 * socket), its {@code postmaster.pid}, and the clean-up of a server that an earlier Crate left behind (a stale
 * pid file after a killed server, an orphaned server after a killed JVM).
 */
final class Postmaster {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    static final String HOST = "127.0.0.1";
    private static final int START_TIMEOUT_SECONDS = 60;
    private static final int START_ATTEMPTS = 5;
    private static final long MAX_LOG_BYTES = 10L * 1024 * 1024;

    private final Path base;
    private final Path pgData;
    private final Path logFile;
    private final Runner runner;
    private final Path pgHome;

    Postmaster(DataDirectory dir, Runner runner, Path pgHome) {
        this.base = dir.base;
        this.pgData = dir.pgData;
        this.logFile = dir.logFile;
        this.runner = runner;
        this.pgHome = pgHome;
    }

    private String bin(String name) {
        return pgHome.resolve("bin").resolve(name).toString();
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
                LOG.warnf("stopping an embedded PostgreSQL (pid %d) left running by an earlier Crate process", pid);
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
                throw new EmbeddedDatabaseException(
                        "Could not remove the stale lock file " + pidFile + " (" + describe(e)
                                + "). Remove it by hand and start Crate again, " + ESCAPE_HATCH,
                        e);
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
        return startServer(0);
    }

    /** Starts the server on {@code fixedPort}, or on a free port when it is 0; the port. */
    int startServer(int fixedPort) {
        rotateLog();
        runner.prepareLogFile(logFile);
        String lastFailure = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = fixedPort > 0 ? fixedPort : freePort();
            long logOffset = size(logFile);
            List<String> pgCtl = runner.command(
                    bin("pg_ctl"),
                    "start",
                    "-w",
                    "-t",
                    Integer.toString(START_TIMEOUT_SECONDS),
                    "-D",
                    pgData.toString(),
                    "-l",
                    logFile.toString(),
                    "-o",
                    "-p " + port + " -c listen_addresses=" + HOST + " -c unix_socket_directories="
                            + " -c TimeZone=UTC -c recovery_init_sync_method=syncfs");
            ProcessResult result = Processes.run(pgCtl, START_TIMEOUT_SECONDS + 30);
            if (result.exitCode == 0) {
                return port;
            }
            String log = readFrom(logFile, logOffset);
            // pg_ctl may give up while the server still starts (e.g. a long crash recovery): do not leave it
            stopIfStarted();
            lastFailure = summarise(log, result);
            boolean retry = log.contains("could not bind")
                    || log.contains("Address already in use")
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

    private static long parsePid(List<String> pidFileLines) {
        try {
            return pidFileLines.isEmpty()
                    ? -1
                    : Long.parseLong(pidFileLines.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not find a free TCP port on " + HOST + " for the embedded " + "PostgreSQL database ("
                            + describe(e) + "). " + ALTERNATIVE,
                    e);
        }
    }

    private static String summarise(String serverLog, ProcessResult pgCtl) {
        String fromLog = relevantLines(serverLog);
        if (!fromLog.isEmpty()) {
            return ": PostgreSQL said: " + fromLog;
        }
        return pgCtl.summary();
    }
}
