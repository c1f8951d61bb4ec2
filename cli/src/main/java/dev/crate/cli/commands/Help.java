package dev.crate.cli.commands;

import dev.crate.cli.session.Host;
import java.util.List;

/** Help text from the {@link CommandTree}: plain text, no colour, the same on a terminal and in a pipe. */
public final class Help {
    private Help() {}

    /** Prints the command's help on stdout; answers the exit code, 0. */
    public static int print(CommandTree command) {
        Host.current().out().print(of(command));
        Host.current().out().flush();
        return 0;
    }

    public static String of(CommandTree command) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(command.path());
        if (command.isGroup()) {
            text.append(" <command> [options]\n\n")
                    .append(capitalized(command.description()))
                    .append("\n\nCommands:\n");
            int width = command.children().stream()
                    .mapToInt(c -> c.name().length())
                    .max()
                    .orElse(0);
            command.children().forEach(c -> row(text, c.name(), width, c.description()));
        } else {
            text.append(" [options]")
                    .append(command.arguments().map(a -> " " + a.label()).orElse(""));
            text.append("\n\n").append(capitalized(command.description())).append('\n');
            List<CommandTree.OptionSpec> own = command.options().stream()
                    .filter(o -> !CommandTree.GLOBAL.contains(o.name()))
                    .toList();
            if (command.arguments().isPresent()) {
                text.append("\nArguments:\n");
                CommandTree.ArgumentSpec arguments = command.arguments().get();
                row(text, arguments.label(), arguments.label().length(), arguments.description());
            }
            if (!own.isEmpty()) {
                text.append("\nOptions:\n");
                options(text, own);
            }
        }
        List<CommandTree.OptionSpec> global = command.isGroup()
                ? globalOptions()
                : command.options().stream()
                        .filter(o -> CommandTree.GLOBAL.contains(o.name()))
                        .toList();
        text.append("\nGlobal options (also before the command):\n");
        options(text, global.isEmpty() ? List.of(CommandTree.HELP) : concat(global));
        if (command.isGroup()) {
            text.append("\nRun '").append(command.path()).append(" <command> --help' for a command's options.\n");
        }
        return text.toString();
    }

    private static List<CommandTree.OptionSpec> globalOptions() {
        return CommandTree.root()
                .child("secrets")
                .flatMap(s -> s.child("list"))
                .map(l -> l.options().stream()
                        .filter(o -> CommandTree.GLOBAL.contains(o.name()))
                        .toList())
                .orElse(List.of());
    }

    private static List<CommandTree.OptionSpec> concat(List<CommandTree.OptionSpec> global) {
        List<CommandTree.OptionSpec> all = new java.util.ArrayList<>(global);
        all.add(CommandTree.HELP);
        return all;
    }

    private static void options(StringBuilder text, List<CommandTree.OptionSpec> options) {
        int width = options.stream().mapToInt(o -> o.label().length()).max().orElse(0);
        options.forEach(o -> row(text, o.label(), width, o.description()));
    }

    private static void row(StringBuilder text, String left, int width, String right) {
        text.append("  ")
                .append(left)
                .append(" ".repeat(width - left.length() + 3))
                .append(right)
                .append('\n');
    }

    private static String capitalized(String text) {
        return text.isEmpty()
                ? text
                : Character.toUpperCase(text.charAt(0)) + text.substring(1) + (text.endsWith(".") ? "" : ".");
    }
}
