package dev.crate.cli.commands.run;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.EventsClient;
import dev.crate.cli.live.Debouncer;
import dev.crate.cli.live.Selection;
import dev.crate.cli.live.Watch;
import dev.crate.cli.run.ChildEnvironment;
import dev.crate.cli.run.ChildProcess;
import dev.crate.cli.run.DangerousNames;
import dev.crate.protocol.wire.SecretChange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * {@code crate run --watch}: the child runs as with a plain {@code run}, while the event stream says when a
 * secret it uses (or a new one matching its selection) changes. After a quiet period (debounce) the values are
 * fetched again with one sealed retrieve; when they differ, the child is restarted (SIGTERM, a bounded wait,
 * SIGKILL, start again) or, with {@code --watch-signal}, the env file is rewritten and the child signalled.
 * When the server cannot be reached the child keeps running with what it has.
 */
final class WatchedRun implements Watch.Listener {
    private static final Duration MAX_RETRY = Duration.ofSeconds(60);

    /** What the main thread waits for: the child's end, or new values to restart it with. */
    private sealed interface Step permits Exited, Restart {}

    private record Exited(Process child, int code) implements Step {}

    private record Restart(Map<String, String> secrets, List<String> changed) implements Step {}

    private final Selection selection;
    private final Supplier<Map<String, String>> fetch;
    private final RunWatch options;
    private final boolean allowDangerous;
    private final PrintStream err;
    private final Duration grace;
    private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService executor;
    private final Debouncer debouncer;
    private final Watch watch;
    private final ChildProcess children = ChildProcess.forwarding();
    private volatile Map<String, String> current;
    private Duration retry = Duration.ofSeconds(1);
    private String lastProblem;

    WatchedRun(
            Selection selection,
            EventsClient events,
            Supplier<Map<String, String>> fetch,
            RunWatch options,
            boolean allowDangerous,
            Map<String, String> env,
            PrintStream err) {
        this.selection = selection;
        this.fetch = fetch;
        this.options = options;
        this.allowDangerous = allowDangerous;
        this.err = err;
        this.grace = Duration.ofMillis(millis(env, "CRATE_WATCH_GRACE_MS", 10_000));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "crate-watch-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.debouncer =
                new Debouncer(executor, Duration.ofMillis(millis(env, "CRATE_WATCH_DEBOUNCE_MS", 500)), this::refresh);
        this.watch = new Watch(events, this);
    }

    /** Connects the stream before the first retrieve, so that no change between the two goes unseen. */
    void connect() {
        watch.start();
    }

    /** Runs children until one ends on its own (or after SIGINT/SIGTERM); answers its exit code. */
    int run(List<String> argv, Map<String, String> parentEnv, boolean preserveEnv, Map<String, String> secrets) {
        current = secrets;
        try {
            Process child = start(argv, parentEnv, preserveEnv, secrets);
            while (true) {
                Step step = take();
                if (step instanceof Exited exited && exited.child() == child) {
                    return exited.code();
                }
                if (step instanceof Restart restart && !children.stopRequested()) {
                    err.println(
                            "crate: " + String.join(", ", restart.changed()) + " changed; restarting " + argv.get(0));
                    int code = children.terminate(child, grace);
                    if (children.stopRequested()) {
                        return code;
                    }
                    child = start(argv, parentEnv, preserveEnv, restart.secrets());
                }
            }
        } finally {
            close();
        }
    }

    /** Stops following the stream (also when the run fails before its child starts). */
    void close() {
        watch.stop();
        executor.shutdownNow();
    }

    private Process start(
            List<String> argv, Map<String, String> parentEnv, boolean preserveEnv, Map<String, String> secrets) {
        Process child = children.start(argv, ChildEnvironment.merge(parentEnv, secrets, preserveEnv));
        child.onExit().thenAccept(p -> steps.add(new Exited(p, p.exitValue())));
        return child;
    }

    private Step take() {
        while (true) {
            try {
                return steps.take();
            } catch (InterruptedException e) {
                // the child decides when this ends
            }
        }
    }

    @Override
    public void change(SecretChange event) {
        Map<String, String> held = current;
        if (held != null && selection.concerns(event, held.keySet())) {
            debouncer.trigger();
        }
    }

    @Override
    public void resync() {
        if (current != null) {
            debouncer.trigger();
        }
    }

    @Override
    public void trouble(String message) {
        err.println("crate: watch: " + message + "; the child keeps running, retrying");
    }

    @Override
    public void recovered() {
        err.println("crate: watch: the event stream is back");
    }

    /** On the refresh thread: one sealed retrieve; restart or signal only when the values really changed. */
    private void refresh() {
        Map<String, String> fresh;
        try {
            fresh = fetch.get();
        } catch (CliException e) {
            if (!e.getMessage().equals(lastProblem)) {
                err.println("crate: watch: cannot fetch the changed secrets (" + e.getMessage()
                        + "); the child keeps its values, retrying");
                lastProblem = e.getMessage();
            }
            debouncer.triggerAfter(retry);
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            return;
        }
        retry = Duration.ofSeconds(1);
        lastProblem = null;
        Map<String, String> held = current;
        if (fresh.equals(held)) {
            return;
        }
        List<String> dangerous = DangerousNames.among(fresh.keySet());
        if (!dangerous.isEmpty() && !allowDangerous) {
            err.println("crate: watch: not applying the change: it would inject " + String.join(", ", dangerous)
                    + " (pass --allow-dangerous if you mean it)");
            return;
        }
        List<String> changed = changed(held, fresh);
        current = fresh;
        if (options.envFile() != null) {
            try {
                EnvFile.write(options.envFile(), fresh);
            } catch (CliException e) {
                err.println("crate: watch: " + e.getMessage());
                return;
            }
        }
        if (options.signal() != null) {
            err.println("crate: " + String.join(", ", changed) + " changed; sending SIG" + options.signal()
                    + " to the child");
            children.signal(options.signal());
        } else {
            steps.add(new Restart(fresh, changed));
        }
    }

    /** Names added, removed or given another value: names only, never values. */
    static List<String> changed(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            if (!java.util.Objects.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        return changed;
    }

    private static long millis(Map<String, String> env, String name, long fallback) {
        try {
            String value = env.get(name);
            return value == null ? fallback : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
