package dev.crate.cli.commands.agent;

import dev.crate.cli.client.ApiException;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.SecretsClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.live.AtomicFile;
import dev.crate.cli.live.Debouncer;
import dev.crate.cli.live.Selection;
import dev.crate.cli.live.Watch;
import dev.crate.cli.output.SecretFile;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.SecretChange;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import sun.misc.Signal;

/**
 * {@code crate agent}: renders the selected secrets to a file and keeps it current from the event stream until
 * SIGTERM or SIGINT (then exits 0). Only configuration errors end it early with a non-zero code: bad options, a
 * directory it cannot write, a credential or organization the server refuses at start. Everything else (the
 * server unreachable, a refused stream later on) is reported on stderr and retried with backoff, keeping the
 * last good file in place.
 */
record AgentAction(String out, String format, String tags, String names, String execOnChange) {
    private static final Duration MAX_RETRY = Duration.ofSeconds(60);

    int run(Context context) {
        if (out == null || out.isBlank()) {
            throw CliException.usage("--out FILE is required");
        }
        SecretFile.Kind kind = SecretFile.kind(format);
        Path file = Path.of(out).toAbsolutePath();
        try {
            AtomicFile.checkWritable(file);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + reason(e));
        }
        String environment = context.env();
        List<String> tagList = tags == null ? context.projectTags() : Lists.split(tags);
        List<String> nameList = names == null ? null : Lists.split(names);
        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> stop.countDown());
        }
        if (!awaitOrganization(context, stop)) {
            return 0;
        }
        Renderer renderer =
                new Renderer(file, kind, context.secrets(), environment, nameList, tagList, execOnChange, context);
        Watch watch = new Watch(context.events(environment, tagList, nameList), renderer);
        try {
            watch.start();
            renderer.first();
        } catch (RuntimeException configuration) {
            watch.stop();
            renderer.close();
            throw configuration;
        }
        while (stop.getCount() > 0) {
            try {
                stop.await();
            } catch (InterruptedException e) {
                // only a signal ends the agent
            }
        }
        watch.stop();
        renderer.close();
        context.err().println("crate: agent: stopped");
        return 0;
    }

    /**
     * Resolves the organization, waiting for a server that cannot be reached yet (a sidecar may start before
     * the network does); a refusal is a configuration error. Answers false when stopped meanwhile.
     */
    private static boolean awaitOrganization(Context context, CountDownLatch stop) {
        long delay = 1000;
        String last = null;
        while (true) {
            try {
                context.orgId();
                return true;
            } catch (ApiException refused) {
                throw refused;
            } catch (CliException unreachable) {
                if (!unreachable.getMessage().startsWith("cannot reach")
                        && !unreachable.getMessage().contains("did not answer")) {
                    throw unreachable;
                }
                if (!unreachable.getMessage().equals(last)) {
                    context.err().println("crate: agent: " + unreachable.getMessage() + "; retrying");
                    last = unreachable.getMessage();
                }
            }
            try {
                if (stop.await(delay, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                return false;
            }
            delay = Math.min(MAX_RETRY.toMillis(), delay * 2);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Fetches, renders and writes the file; runs on its own single thread, one refresh at a time. */
    private static final class Renderer implements Watch.Listener {
        private final Path file;
        private final SecretFile.Kind kind;
        private final SecretsClient client;
        private final Selection selection;
        private final String execOnChange;
        private final Map<String, String> parentEnv;
        private final PrintStream err;
        private final ScheduledExecutorService executor;
        private final Debouncer debouncer;
        private volatile Map<String, String> current;
        private String written;
        private Duration retry = Duration.ofSeconds(1);
        private String lastProblem;

        Renderer(
                Path file,
                SecretFile.Kind kind,
                SecretsClient client,
                String environment,
                List<String> names,
                List<String> tags,
                String execOnChange,
                Context context) {
            this.file = file;
            this.kind = kind;
            this.client = client;
            this.selection = new Selection(environment, tags, names);
            this.execOnChange = execOnChange;
            this.parentEnv = context.host().env();
            this.err = context.err();
            this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "crate-agent-render");
                thread.setDaemon(true);
                return thread;
            });
            String quiet = parentEnv.get("CRATE_WATCH_DEBOUNCE_MS");
            long millis = 500;
            try {
                millis = quiet == null ? 500 : Math.max(0, Long.parseLong(quiet.trim()));
            } catch (NumberFormatException ignored) {
                // the default
            }
            this.debouncer = new Debouncer(executor, Duration.ofMillis(millis), this::refresh);
        }

        /** The first render, on the caller's thread: a refused credential here is a configuration error. */
        void first() {
            try {
                render(fetch());
            } catch (ApiException.NotAuthenticated | ApiException.Forbidden refused) {
                throw refused;
            } catch (CliException e) {
                problem(e.getMessage());
                debouncer.triggerAfter(retry);
            }
        }

        void close() {
            executor.shutdownNow();
        }

        @Override
        public void change(SecretChange event) {
            Map<String, String> held = current;
            if (selection.concerns(event, held == null ? List.of() : held.keySet())) {
                debouncer.trigger();
            }
        }

        @Override
        public void resync() {
            debouncer.trigger();
        }

        @Override
        public void trouble(String message) {
            err.println("crate: agent: " + message + "; keeping " + file + " as it is, retrying");
        }

        @Override
        public void recovered() {
            err.println("crate: agent: the event stream is back");
        }

        private void refresh() {
            try {
                render(fetch());
                retry = Duration.ofSeconds(1);
            } catch (CliException e) {
                problem(e.getMessage());
                debouncer.triggerAfter(retry);
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            }
        }

        private void problem(String message) {
            if (!message.equals(lastProblem)) {
                err.println("crate: agent: cannot fetch the secrets (" + message + "); retrying");
                lastProblem = message;
            }
        }

        /** One sealed retrieve; names asked for but missing are told (names only) and left out. */
        private Map<String, String> fetch() {
            RetrievedPayload payload = client.retrieve(selection.environment(), selection.names(), selection.tags());
            if (payload.missing() != null && !payload.missing().isEmpty()) {
                String missing =
                        "not found in " + selection.environment() + ": " + String.join(", ", payload.missing());
                if (!missing.equals(lastProblem)) {
                    err.println("crate: agent: " + missing + "; left out of " + file);
                    lastProblem = missing;
                }
            } else {
                lastProblem = null;
            }
            Map<String, String> secrets = new TreeMap<>();
            payload.secrets().forEach(s -> secrets.put(s.name(), s.value()));
            return secrets;
        }

        private void render(Map<String, String> secrets) {
            current = secrets;
            String text = SecretFile.write(secrets, kind);
            if (text.equals(written)) {
                return;
            }
            try {
                AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliException("cannot write " + file + ": " + reason(e));
            }
            written = text;
            err.println("crate: agent: wrote " + file + " (" + secrets.size()
                    + (secrets.size() == 1 ? " secret)" : " secrets)"));
            if (execOnChange != null && !execOnChange.isBlank()) {
                exec();
            }
        }

        /** {@code sh -c} with the agent's environment minus its credential, plus the file's path; no values. */
        private void exec() {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", execOnChange).inheritIO();
            builder.environment().clear();
            builder.environment().putAll(parentEnv);
            builder.environment().remove("CRATE_TOKEN");
            builder.environment().put("CRATE_AGENT_FILE", file.toString());
            try {
                Process process = builder.start();
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    err.println("crate: agent: --exec-on-change ran over 60 s and was killed");
                } else if (process.exitValue() != 0) {
                    err.println("crate: agent: --exec-on-change exited with " + process.exitValue());
                }
            } catch (IOException e) {
                err.println("crate: agent: cannot run --exec-on-change ("
                        + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
