package dev.crate.cli.commands;

import dev.crate.cli.commands.run.RunAction;
import dev.crate.cli.commands.run.RunWatch;
import dev.crate.cli.commands.secrets.FetchAction;
import dev.crate.cli.commands.secrets.ListAction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The lean path: {@code crate run [options] -- command...}, {@code crate secrets list [options]} and
 * {@code crate secrets fetch [options]} recognised without Aesh (whose command tree and parser cost a
 * one-shot call more than a third of its start-up). Only plain forms are taken: known options, each at
 * most once, in the places the full command line accepts them, with a value that is neither empty nor
 * an option nor holds blanks, quotes or backslashes (which Aesh reads its own way), and one of its allowed values. Anything else (help, an unknown or repeated option, a
 * positional, another command) is left to {@link Argv} and Aesh, so messages and exit codes stay theirs.
 */
public final class LeanArgv {
    /** A command line the lean path can run: the global options and the command's body. */
    public record Lean(GlobalOptions flags, List<String> path, ToIntFunction<Context> body) {
        public int run() {
            return CommandRunner.run(flags, () -> Argv.resolve(path), body);
        }
    }

    private record Spec(boolean hasValue, List<String> allowed) {}

    private static final Spec VALUE = new Spec(true, List.of());
    private static final Spec FLAG = new Spec(false, List.of());
    private static final Map<String, Spec> GLOBAL = Map.of(
            "server", VALUE, "org", VALUE, "env", VALUE, "output", new Spec(true, List.of("table", "json", "yaml")));
    private static final Map<String, Spec> RUN = Map.of(
            "tags", VALUE,
            "names", VALUE,
            "command", VALUE,
            "preserve-env", FLAG,
            "allow-dangerous", FLAG,
            "quiet", FLAG,
            "require-secrets", FLAG,
            "fail-if-empty", FLAG);
    private static final Map<String, Spec> LIST = Map.of("tags", VALUE);
    private static final Map<String, Spec> FETCH =
            Map.of("names", VALUE, "tags", VALUE, "format", new Spec(true, List.of("dotenv", "json", "yaml")));
    private static final Map<String, String> SHORT = Map.of("-o", "output", "-q", "quiet");

    private LeanArgv() {}

    public static Optional<Lean> parse(String... args) {
        Map<String, String> given = new HashMap<>();
        String noun = null;
        String verb = null;
        int i = 0;
        while (i < args.length && verb == null) {
            String token = args[i];
            if (token.startsWith("-")) {
                i = take(args, i, GLOBAL, Map.of(), given);
                if (i < 0) {
                    return Optional.empty();
                }
                continue;
            }
            if (noun == null && token.equals("run")) {
                noun = "run";
                verb = "run";
            } else if (noun == null && token.equals("secrets")) {
                noun = "secrets";
            } else if ("secrets".equals(noun) && (token.equals("list") || token.equals("fetch"))) {
                verb = token;
            } else {
                return Optional.empty();
            }
            i++;
        }
        if (verb == null) {
            return Optional.empty();
        }
        Map<String, Spec> own = verb.equals("run") ? RUN : verb.equals("list") ? LIST : FETCH;
        List<String> child = List.of();
        while (i < args.length) {
            String token = args[i];
            if (token.equals("--") && verb.equals("run")) {
                child = Arrays.asList(args).subList(i + 1, args.length);
                break;
            }
            i = token.startsWith("-") ? take(args, i, GLOBAL, own, given) : -1;
            if (i < 0) {
                return Optional.empty();
            }
        }
        if (verb.equals("run") && child.isEmpty() && !given.containsKey("command")) {
            return Optional.empty();
        }
        GlobalOptions flags =
                new GlobalOptions(given.get("server"), given.get("org"), given.get("env"), given.get("output"));
        return Optional.of(
                new Lean(flags, noun.equals(verb) ? List.of(verb) : List.of(noun, verb), body(verb, given, child)));
    }

    private static ToIntFunction<Context> body(String verb, Map<String, String> given, List<String> child) {
        return switch (verb) {
            case "run" ->
                new RunAction(
                        given.get("tags"),
                        given.get("names"),
                        given.get("command"),
                        given.containsKey("preserve-env"),
                        given.containsKey("allow-dangerous"),
                        given.containsKey("quiet"),
                        given.containsKey("require-secrets") || given.containsKey("fail-if-empty"),
                        List.copyOf(child),
                        RunWatch.NONE)::run;
            case "list" -> new ListAction(given.get("tags"))::run;
            default ->
                new FetchAction(given.get("names"), given.get("tags"), given.get("format"), given.get("output"))::run;
        };
    }

    /** Takes the option at {@code i} into {@code given}; answers the index after it, or -1 when it is not plain. */
    private static int take(
            String[] args, int i, Map<String, Spec> global, Map<String, Spec> own, Map<String, String> given) {
        String token = args[i];
        String name;
        String value = null;
        if (token.startsWith("--")) {
            int eq = token.indexOf('=');
            name = eq < 0 ? token.substring(2) : token.substring(2, eq);
            value = eq < 0 ? null : token.substring(eq + 1);
        } else {
            name = SHORT.get(token);
        }
        Spec spec = name == null ? null : global.containsKey(name) ? global.get(name) : own.get(name);
        if (spec == null || given.containsKey(name)) {
            return -1;
        }
        if (!spec.hasValue()) {
            if (value != null) {
                return -1;
            }
            given.put(name, "");
            return i + 1;
        }
        int next = i + 1;
        if (value == null) {
            if (next >= args.length) {
                return -1;
            }
            value = args[next++];
        }
        if (value.isEmpty()
                || value.startsWith("-")
                || !value.chars().allMatch(c -> c > ' ' && c != '"' && c != '\'' && c != '\\')
                || !spec.allowed().isEmpty() && !spec.allowed().contains(value)) {
            return -1;
        }
        given.put(name, value);
        return next;
    }
}
