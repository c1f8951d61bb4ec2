package dev.crate.cli.run;

import dev.crate.cli.client.CliException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Runs the child with inherited stdio, forwards SIGINT, SIGTERM and SIGHUP to it, waits for it
 * (so it is always reaped) and answers its exit code; a child killed by a signal gives 128 + signal,
 * as shells report it. {@code crate run --watch} starts several children in turn: signals go to the
 * current one, and one that arrives between two children is held for the next.
 *
 * <p>Java can only send SIGTERM ({@link Process#destroy()}) and SIGKILL to a child; any other signal is sent
 * with {@code kill -s NAME PID}, whose argv holds the signal's name and the pid only and whose environment is
 * empty but for {@code PATH}.
 */
public final class ChildProcess {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private final Object lock = new Object();
    private final List<String> early = new CopyOnWriteArrayList<>();
    private Process current;
    private volatile boolean stopRequested;

    private ChildProcess() {}

    /** Runs one child to its end: what {@code crate run} without {@code --watch} does. */
    public static int run(List<String> command, Map<String, String> environment) {
        ChildProcess children = forwarding();
        return await(children.start(command, environment));
    }

    /**
     * Installs the forwarding before any child starts, so a signal that arrives while one starts is not lost: it
     * is held and delivered as soon as the child exists.
     */
    public static ChildProcess forwarding() {
        ChildProcess children = new ChildProcess();
        FORWARDED.forEach(children::forward);
        return children;
    }

    /** Starts a child, which becomes the one signals go to. */
    public Process start(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot run '" + command.get(0) + "': not found or not executable", 127);
        }
        synchronized (lock) {
            current = child;
            early.forEach(signal -> send(signal, child));
            early.clear();
        }
        return child;
    }

    /** Waits for the child to end, however often the waiting thread is interrupted: the child decides. */
    public static int await(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }

    /** Whether the user asked {@code crate} to stop (SIGINT or SIGTERM): then no child is started again. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Sends a signal ({@code HUP}, {@code USR1}, ...) to the current child. */
    public void signal(String signal) {
        synchronized (lock) {
            if (current != null) {
                send(signal, current);
            }
        }
    }

    /**
     * Stops a child for a restart: SIGTERM, then SIGKILL if it is still there after {@code grace}. Signals that
     * arrive meanwhile are held for the next child rather than sent to one that is going away.
     */
    public int terminate(Process child, Duration grace) {
        synchronized (lock) {
            if (current == child) {
                current = null;
            }
        }
        child.destroy();
        try {
            if (!child.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
        return await(child);
    }

    private void forward(String signal) {
        try {
            Signal.handle(new Signal(signal), s -> {
                if (!signal.equals("HUP")) {
                    stopRequested = true;
                }
                synchronized (lock) {
                    if (current == null) {
                        early.add(signal);
                    } else {
                        send(signal, current);
                    }
                }
            });
        } catch (IllegalArgumentException unsupported) {
            // this platform has no such signal
        }
    }

    private static void send(String signal, Process child) {
        if (!child.isAlive()) {
            return;
        }
        if (signal.equals("TERM")) {
            child.destroy();
            return;
        }
        try {
            ProcessBuilder kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(child.pid())).inheritIO();
            String path = kill.environment().get("PATH");
            kill.environment().clear();
            kill.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
            kill.start().waitFor();
        } catch (IOException e) {
            child.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
