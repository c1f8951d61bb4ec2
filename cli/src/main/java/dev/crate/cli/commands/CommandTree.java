package dev.crate.cli.commands;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Arguments;
import org.aesh.command.option.Option;
import org.aesh.command.option.OptionList;

/**
 * The command line's shape, read from the command classes' annotations: names, descriptions,
 * verbs of each noun, options and arguments. Help, usage hints, argument checks before Aesh
 * parses, and completion scripts all come from it, so they cannot drift from the commands.
 */
public record CommandTree(
        Class<?> type,
        String name,
        String description,
        boolean stopAtFirstPositional,
        List<String> aliases,
        List<CommandTree> children,
        List<OptionSpec> options,
        Optional<ArgumentSpec> arguments,
        CommandTree parentOrNull) {

    /** One option: {@code --name}, maybe {@code -x}, and whether it takes a value. */
    public record OptionSpec(
            String name, char shortName, String description, boolean hasValue, List<String> allowedValues) {
        public boolean matches(String token) {
            return token.equals("--" + name) || shortName != '\u0000' && token.equals("-" + shortName);
        }

        public String label() {
            return (shortName != '\u0000' ? "-" + shortName + ", " : "") + "--" + name + (hasValue ? " VALUE" : "");
        }
    }

    /** The positional arguments: a label ({@code NAME}, {@code ARGS...}) and what they are. */
    public record ArgumentSpec(String label, String description, boolean secretNames, boolean required, boolean many) {}

    /** Options every command takes ({@link CrateCommand}'s), which may also stand before the command's name. */
    public static final List<String> GLOBAL = List.of("server", "org", "env", "output");

    public static final OptionSpec HELP = new OptionSpec("help", 'h', "show this help", false, List.of());

    private static volatile CommandTree root;

    public static CommandTree root() {
        if (root == null) {
            root = of(RootCommand.class, null);
        }
        return root;
    }

    private static CommandTree of(Class<?> type, CommandTree parent) {
        CommandDefinition definition = type.getAnnotation(CommandDefinition.class);
        List<CommandTree> children = new ArrayList<>();
        List<OptionSpec> options = new ArrayList<>();
        Optional<ArgumentSpec> arguments = Optional.empty();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option != null && !option.name().equals(HELP.name())) { // HELP: listed by Help itself
                    boolean flag =
                            !option.hasValue() || field.getType() == boolean.class || field.getType() == Boolean.class;
                    options.add(new OptionSpec(
                            option.name().isEmpty() ? field.getName() : option.name(),
                            option.shortName(),
                            option.description(),
                            !flag,
                            List.of(option.allowedValues())));
                }
                OptionList list = field.getAnnotation(OptionList.class);
                if (list != null) {
                    options.add(new OptionSpec(
                            list.name().isEmpty() ? field.getName() : list.name(),
                            list.shortName(),
                            list.description(),
                            true,
                            List.of()));
                }
                Argument argument = field.getAnnotation(Argument.class);
                if (argument != null) {
                    arguments = Optional.of(new ArgumentSpec(
                            field.getName().toUpperCase(java.util.Locale.ROOT),
                            argument.description(),
                            argument.completer() == SecretNameCompleter.class,
                            argument.required(),
                            false));
                }
                Arguments many = field.getAnnotation(Arguments.class);
                if (many != null) {
                    arguments = Optional.of(new ArgumentSpec(
                            definition.stopAtFirstPositional()
                                    ? "-- COMMAND [ARGS...]"
                                    : field.getName().toUpperCase(java.util.Locale.ROOT) + "...",
                            many.description(),
                            false,
                            false,
                            true));
                }
            }
        }
        CommandTree tree = new CommandTree(
                type,
                definition.name(),
                definition.description(),
                definition.stopAtFirstPositional(),
                List.of(definition.aliases()),
                children,
                options,
                arguments,
                parent);
        for (Class<?> child : definition.groupCommands()) {
            children.add(of(child, tree));
        }
        return tree;
    }

    public boolean isGroup() {
        return !children.isEmpty();
    }

    public Optional<CommandTree> child(String word) {
        return children.stream()
                .filter(c -> c.name.equals(word) || c.aliases.contains(word))
                .findFirst();
    }

    public Optional<OptionSpec> option(String token) {
        String bare = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
        return options.stream().filter(o -> o.matches(bare)).findFirst();
    }

    /** {@code crate secrets set}. */
    public String path() {
        return parentOrNull == null ? name : parentOrNull.path() + " " + name;
    }

    /** The command of this class, wherever it sits in the tree. */
    public static Optional<CommandTree> find(Class<?> type) {
        return find(root(), type);
    }

    private static Optional<CommandTree> find(CommandTree tree, Class<?> type) {
        if (tree.type == type) {
            return Optional.of(tree);
        }
        for (CommandTree child : tree.children) {
            Optional<CommandTree> found = find(child, type);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The usage hint that follows every usage error. */
    public String hint() {
        return "see '" + path() + " --help'";
    }

    @Override
    public String toString() {
        return path();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandTree other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }
}
