package dev.crate.cli.run;

import dev.crate.cli.client.CliException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Runs the child with inherited stdio, forwards SIGINT, SIGTERM and SIGHUP to it, waits for it
 * (so it is always reaped) and answers its exit code; a child killed by a signal gives 128 + signal,
 * as shells report it.
 */
public final class ChildProcess {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private ChildProcess() {}

    public static int run(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        // Handlers go in before the child starts, so a signal that arrives while it starts is not lost:
        // it is held and delivered as soon as the child exists.
        AtomicReference<Process> started = new AtomicReference<>();
        List<String> early = new CopyOnWriteArrayList<>();
        FORWARDED.forEach(name -> forward(name, started, early));
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot run '" + command.get(0) + "': not found or not executable", 127);
        }
        synchronized (started) {
            started.set(child);
            early.forEach(signal -> send(signal, child));
        }
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: the child decides when it is done
            }
        }
    }

    private static void forward(String signal, AtomicReference<Process> started, List<String> early) {
        try {
            Signal.handle(new Signal(signal), s -> {
                synchronized (started) {
                    if (started.get() == null) {
                        early.add(signal);
                    } else {
                        send(signal, started.get());
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
            new ProcessBuilder("kill", "-s", signal, String.valueOf(child.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            child.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
