package dev.crate.cli.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the command line asks for, decided before Aesh parses it: help ({@code -h}, {@code --help},
 * {@code crate help <command>}) at any level, global options given before the command's name
 * (moved after it, where Aesh looks for them), and {@code crate run}'s options checked up to the
 * child's command, so that a mistyped option is a usage error rather than the program to run.
 */
public final class Argv {
    /** What to do with a command line. */
    public sealed interface Outcome permits ShowHelp, Usage, Execute {}

    /** Print this command's help on stdout and exit 0. */
    public record ShowHelp(CommandTree command) implements Outcome {}

    /** A usage error: one line and the hint to the command's help, exit 2. */
    public record Usage(String reason, CommandTree command) implements Outcome {}

    /** Hand these arguments to Aesh; {@code command} is the one they name. */
    public record Execute(String[] args, CommandTree command) implements Outcome {}

    private Argv() {}

    public static Outcome parse(String... args) {
        CommandTree root = CommandTree.root();
        if (args.length > 0 && args[0].equals("help")) {
            return help(root, Arrays.asList(args).subList(1, args.length));
        }
        CommandTree node = root;
        List<String> path = new ArrayList<>();
        List<String> hoisted = new ArrayList<>();
        int i = 0;
        while (i < args.length && node.isGroup()) {
            String token = args[i];
            if (isHelp(token)) {
                return new ShowHelp(node);
            }
            if (token.startsWith("-") && !token.equals("--")) {
                Optional<CommandTree.OptionSpec> global = globalOption(token);
                if (global.isEmpty()) {
                    return new Usage(
                            "unknown option '" + token + "'" + (node == root ? "" : " for '" + node.path() + "'"),
                            node);
                }
                hoisted.add(token);
                if (global.get().hasValue() && !token.contains("=") && i + 1 < args.length) {
                    hoisted.add(args[++i]);
                }
                i++;
                continue;
            }
            Optional<CommandTree> child = node.child(token);
            if (child.isEmpty()) {
                return new Usage("unknown command '" + token + "' for '" + node.path() + "'", node);
            }
            node = child.get();
            path.add(token);
            i++;
        }
        if (node.isGroup()) {
            return new Usage(
                    "'" + node.path() + "' needs a command: "
                            + String.join(
                                    ", ",
                                    node.children().stream()
                                            .map(CommandTree::name)
                                            .toList()),
                    node);
        }
        List<String> rest = Arrays.asList(args).subList(i, args.length);
        Optional<Outcome> early = scanOptions(node, rest);
        if (early.isPresent()) {
            return early.get();
        }
        List<String> all = new ArrayList<>(path);
        all.addAll(hoisted);
        all.addAll(rest);
        return new Execute(all.toArray(String[]::new), node);
    }

    /** Help wherever the command's own options stand; for run, only before the child's command. */
    private static Optional<Outcome> scanOptions(CommandTree node, List<String> rest) {
        int positionals = 0;
        for (int j = 0; j < rest.size(); j++) {
            String token = rest.get(j);
            if (token.equals("--")) {
                positionals += rest.size() - j - 1;
                break;
            }
            if (isHelp(token)) {
                return Optional.of(new ShowHelp(node));
            }
            if (!token.startsWith("-") || token.equals("-")) {
                positionals++;
                if (node.stopAtFirstPositional()) {
                    break;
                }
                continue;
            }
            Optional<CommandTree.OptionSpec> option = node.option(token);
            if (option.isEmpty()) {
                return Optional.of(new Usage(
                        "unknown option '" + token + "' for '" + node.path() + "'"
                                + (node.stopAtFirstPositional() ? " (the command to run goes after --)" : ""),
                        node));
            }
            if (option.get().hasValue() && !token.contains("=") && j + 1 >= rest.size()) {
                return Optional.of(new Usage("option '" + token + "' needs a value", node));
            }
            Optional<String> value = Optional.ofNullable(
                    token.contains("=")
                            ? token.substring(token.indexOf('=') + 1)
                            : option.get().hasValue() ? rest.get(j + 1) : null);
            if (value.isPresent()
                    && !option.get().allowedValues().isEmpty()
                    && !option.get().allowedValues().contains(value.get())) {
                return Optional.of(new Usage(
                        "'" + value.get() + "' is not a valid "
                                + option.get().label().replace(" VALUE", "") + ": "
                                + String.join(", ", option.get().allowedValues()),
                        node));
            }
            if (option.get().hasValue() && !token.contains("=")) {
                j++;
            }
        }
        boolean single = node.arguments().map(a -> !a.many()).orElse(false);
        if (positionals > (node.arguments().isEmpty() ? 0 : single ? 1 : Integer.MAX_VALUE)) {
            return Optional.of(new Usage(
                    "too many arguments"
                            + node.arguments()
                                    .map(a -> ": it takes one " + a.label())
                                    .orElse(": it takes none"),
                    node));
        }
        if (positionals == 0
                && node.arguments().map(CommandTree.ArgumentSpec::required).orElse(false)) {
            return Optional.of(new Usage(
                    node.arguments().get().label() + " is missing ("
                            + node.arguments().get().description() + ")",
                    node));
        }
        return Optional.empty();
    }

    private static Outcome help(CommandTree root, List<String> words) {
        CommandTree node = root;
        for (String word : words) {
            if (word.startsWith("-")) {
                continue;
            }
            Optional<CommandTree> child = node.child(word);
            if (child.isEmpty()) {
                return new Usage("unknown command '" + word + "' for '" + node.path() + "'", node);
            }
            node = child.get();
        }
        return new ShowHelp(node);
    }

    /** The command {@code words} name (as far as they name one), for {@code help} inside the shell. */
    public static CommandTree resolve(List<String> words) {
        CommandTree node = CommandTree.root();
        for (String word : words) {
            Optional<CommandTree> child = node.child(word);
            if (child.isEmpty()) {
                break;
            }
            node = child.get();
        }
        return node;
    }

    private static boolean isHelp(String token) {
        return token.equals("-h") || token.equals("--help");
    }

    private static Optional<CommandTree.OptionSpec> globalOption(String token) {
        return CommandTree.root()
                .child("secrets")
                .flatMap(s -> s.child("list"))
                .flatMap(l -> l.option(token))
                .filter(o -> CommandTree.GLOBAL.contains(o.name()));
    }
}
