package dev.crate.server.embedded;

import static dev.crate.server.embedded.Processes.sleep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server process seen from outside, through /proc and signals: whether a pid is the postmaster of a
 * data directory, and stopping it. Used both for the server Crate started and for one an earlier Crate left behind.
 */
final class PostmasterProcess {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private PostmasterProcess() {}

    /** Whether pid is a postgres server started on the given data directory. */
    static boolean isPostmasterOf(long pid, Path pgData) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> argv = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
            if (argv.isEmpty() || !argv.get(0).endsWith("postgres")) {
                return false;
            }
            int d = argv.indexOf("-D");
            return d >= 0
                    && d + 1 < argv.size()
                    && Path.of(argv.get(d + 1)).toAbsolutePath().normalize().equals(pgData);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Stops a postmaster: fast shutdown (SIGINT) and, if that takes too long, immediate shutdown (SIGQUIT), then
     * SIGKILL. True if the process is gone.
     */
    static boolean stopPostmaster(long pid, Path pgData) {
        if (ProcState.of(pid) != ProcState.RUNNING || !isPostmasterOf(pid, pgData)) {
            return true;
        }
        signal(pid, "INT");
        if (waitUntilGone(pid, 60)) {
            return true;
        }
        LOG.warnf(
                "embedded PostgreSQL (pid %d) did not finish a fast shutdown in 60 s; shutting it down "
                        + "immediately",
                pid);
        signal(pid, "QUIT");
        if (waitUntilGone(pid, 10)) {
            return true;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return waitUntilGone(pid, 10);
    }

    private static void signal(long pid, String signal) {
        // Java can only send SIGTERM/SIGKILL; the shell's kill builtin sends the rest.
        ProcessResult r = Processes.run(List.of("/bin/sh", "-c", "kill -" + signal + " " + pid), 10);
        if (r.exitCode != 0) {
            LOG.debugf("kill -%s %d: %s", signal, pid, r.output.trim());
        }
    }

    private static boolean waitUntilGone(long pid, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ProcState.of(pid) == ProcState.RUNNING) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    /** The number of processes attached to a System V shared memory segment, 0 if it does not exist. */
    static int sharedMemoryAttachments(String shmid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/sysvipc/shm"))) {
            // key shmid perms size cpid lpid nattch ...
            return lines.skip(1)
                    .map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 6 && f[1].equals(shmid))
                    .mapToInt(f -> Integer.parseInt(f[6]))
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
