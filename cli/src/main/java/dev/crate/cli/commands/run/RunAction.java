package dev.crate.cli.commands.run;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.SecretsClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.live.Selection;
import dev.crate.cli.run.ChildEnvironment;
import dev.crate.cli.run.ChildProcess;
import dev.crate.cli.run.DangerousNames;
import dev.crate.protocol.wire.RetrievedPayload;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code crate run} does once its options are known, without Aesh: {@link RunCommand} and the
 * lean path ({@code LeanArgv}) both call it. {@code args} may start with {@code --}; null means none.
 */
public record RunAction(
        String tags,
        String names,
        String command,
        boolean preserveEnv,
        boolean allowDangerous,
        boolean quiet,
        boolean requireSecrets,
        List<String> args,
        RunWatch live) {
    public RunAction {
        args = args == null ? List.of() : args;
        live = live == null ? RunWatch.NONE : live;
    }

    public int run(Context context) {
        List<String> argv = argv();
        List<String> tagList = tags == null ? context.projectTags() : Lists.split(tags);
        List<String> nameList = names == null ? null : Lists.split(names);
        String environment = context.env();
        RunWatch options = live.validated();
        SecretsClient client = context.secrets();
        WatchedRun watched = null;
        if (options.watch()) {
            watched = new WatchedRun(
                    new Selection(environment, tagList, nameList),
                    context.events(environment, tagList, nameList),
                    () -> retrieve(client, environment, nameList, tagList),
                    options,
                    allowDangerous,
                    context.host().env(),
                    context.err());
        }
        try {
            if (watched != null) {
                watched.connect();
            }
            return start(context, client, argv, environment, nameList, tagList, watched);
        } finally {
            if (watched != null) {
                watched.close();
            }
        }
    }

    private int start(
            Context context,
            SecretsClient client,
            List<String> argv,
            String environment,
            List<String> nameList,
            List<String> tagList,
            WatchedRun watched) {
        RunWatch options = live.validated();
        Map<String, String> secrets = retrieve(client, environment, nameList, tagList);
        Injection injection = new Injection(
                environment,
                tagList,
                nameList,
                secrets.keySet(),
                preserveEnv
                        ? secrets.keySet().stream()
                                .filter(n -> context.host().env().containsKey(n))
                                .toList()
                        : List.of());
        if (secrets.isEmpty() && requireSecrets) {
            throw new CliException(injection.nothing() + "; not starting " + argv.get(0) + " (--require-secrets)");
        }
        List<String> dangerous = DangerousNames.among(secrets.keySet());
        if (!dangerous.isEmpty() && !allowDangerous) {
            throw new CliException("refusing to inject " + String.join(", ", dangerous)
                    + ": such variables can make the child run other code; pass --allow-dangerous if you mean it");
        }
        dev.crate.cli.Timing.mark("payload opened");
        tell(context, client, injection);
        if (options.envFile() != null) {
            EnvFile.write(options.envFile(), secrets);
        }
        if (watched != null) {
            return watched.run(argv, context.host().env(), preserveEnv, secrets);
        }
        return ChildProcess.run(argv, ChildEnvironment.merge(context.host().env(), secrets, preserveEnv));
    }

    /** What was injected and, when a tag filter chose, what it left out: names only, on stderr. */
    private void tell(Context context, SecretsClient client, Injection injection) {
        if (quiet) {
            return;
        }
        context.err().println("crate: " + injection.summary());
        if (!injection.tags().isEmpty() && injection.names() == null) {
            injection
                    .leftOut(client.list(injection.environment(), List.of()))
                    .ifPresent(line -> context.err().println("crate: " + line));
        }
    }

    private static Map<String, String> retrieve(
            SecretsClient client, String environment, List<String> names, List<String> tags) {
        RetrievedPayload payload = client.retrieve(environment, names, tags);
        if (payload.missing() != null && !payload.missing().isEmpty()) {
            throw new CliException("not found in " + environment + ": " + String.join(", ", payload.missing()));
        }
        Map<String, String> secrets = new TreeMap<>();
        payload.secrets().forEach(s -> secrets.put(s.name(), s.value()));
        return secrets;
    }

    private List<String> argv() {
        List<String> given = args;
        if (!given.isEmpty() && given.get(0).equals("--")) {
            given = given.subList(1, given.size());
        }
        if (command != null) {
            if (!given.isEmpty()) {
                throw CliException.usage("give either --command or a command after --, not both");
            }
            return List.of("/bin/sh", "-c", command);
        }
        if (given.isEmpty()) {
            throw CliException.usage("usage: crate run [--env ENV] [--tags a,b] -- command args...");
        }
        return given;
    }
}
