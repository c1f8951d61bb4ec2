package dev.crate.cli.commands.completion;

import dev.crate.cli.commands.CommandTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completion scripts for bash, zsh (through bashcompinit) and fish, written from the {@link CommandTree}:
 * commands and options offline; environments after {@code --env} and secret names where a command takes
 * one come from {@code crate completion --list envs|secrets}, which asks the server and prints nothing
 * when it cannot.
 */
final class CompletionScript {
    private CompletionScript() {}

    /** Each command path (" secrets set") with the words that may follow it. */
    private static Map<String, List<String>> words() {
        Map<String, List<String>> words = new LinkedHashMap<>();
        collect(CommandTree.root(), "", words);
        return words;
    }

    private static void collect(CommandTree node, String path, Map<String, List<String>> words) {
        List<String> next = new ArrayList<>();
        if (node.isGroup()) {
            node.children().forEach(c -> next.add(c.name()));
            node.children().forEach(c -> collect(c, path + " " + c.name(), words));
        } else {
            node.options().forEach(o -> next.add("--" + o.name()));
        }
        next.add("--help");
        words.put(path, next);
    }

    private static List<String> secretNamePaths() {
        List<String> paths = new ArrayList<>();
        CommandTree.root()
                .child("secrets")
                .ifPresent(s -> s.children().stream()
                        .filter(c -> c.arguments()
                                .map(CommandTree.ArgumentSpec::secretNames)
                                .orElse(false))
                        .forEach(c -> paths.add("secrets " + c.name())));
        return paths;
    }

    static String bash() {
        StringBuilder s = new StringBuilder();
        s.append("# crate completion for bash: source <(crate completion bash)\n");
        s.append("_crate_complete() {\n");
        s.append(
                "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" path=\"\" w i words=\"\"\n");
        s.append("  for ((i = 1; i < COMP_CWORD; i++)); do\n");
        s.append("    w=\"${COMP_WORDS[i]}\"\n");
        s.append("    [[ \"$w\" == \"--\" ]] && { COMPREPLY=(); compopt -o default 2>/dev/null; return 0; }\n");
        s.append("    case \"$path $w\" in\n");
        List<String> paths = words().keySet().stream()
                .filter(p -> !p.isEmpty())
                .map(p -> "\"" + p + "\"")
                .toList();
        s.append("      ").append(String.join("|", paths)).append(") path=\"$path $w\" ;;\n");
        s.append("    esac\n  done\n");
        s.append("  case \"$prev\" in\n");
        s.append(
                "    --env) COMPREPLY=($(compgen -W \"$(crate completion --list envs 2>/dev/null)\" -- \"$cur\")); return 0 ;;\n");
        s.append("    -o|--output) COMPREPLY=($(compgen -W \"table json yaml\" -- \"$cur\")); return 0 ;;\n");
        s.append("    --format) COMPREPLY=($(compgen -W \"dotenv json yaml jsonl csv\" -- \"$cur\")); return 0 ;;\n");
        s.append("    --server|--org|--tags|--names|--file|--from-file|--command) return 0 ;;\n");
        s.append("  esac\n");
        s.append("  case \"$path\" in\n");
        words().forEach((path, next) -> s.append("    \"")
                .append(path)
                .append("\") words=\"")
                .append(String.join(" ", next))
                .append("\" ;;\n"));
        s.append("  esac\n");
        List<String> secretPaths = secretNamePaths();
        if (!secretPaths.isEmpty()) {
            s.append("  if [[ \"$cur\" != -* ]]; then\n    case \"$path\" in\n      ")
                    .append(String.join(
                            "|", secretPaths.stream().map(p -> "\" " + p + "\"").toList()))
                    .append(") words=\"$words $(crate completion --list secrets 2>/dev/null)\" ;;\n    esac\n  fi\n");
        }
        s.append("  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n");
        s.append("}\n");
        s.append("complete -o default -F _crate_complete crate\n");
        return s.toString();
    }

    static String zsh() {
        return "# crate completion for zsh: source <(crate completion zsh)\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash().replaceFirst("# crate completion for bash[^\n]*\n", "");
    }

    static String fish() {
        StringBuilder s = new StringBuilder();
        s.append("# crate completion for fish: crate completion fish | source\n");
        s.append("function __crate_path\n");
        s.append("    set -l path ''\n");
        s.append("    for w in (commandline -opc)[2..-1]\n");
        s.append("        switch \"$path $w\"\n");
        List<String> paths = words().keySet().stream()
                .filter(p -> !p.isEmpty())
                .map(p -> "'" + p + "'")
                .toList();
        s.append("            case ").append(String.join(" ", paths)).append("\n");
        s.append("                set path \"$path $w\"\n");
        s.append("        end\n    end\n    echo $path\nend\n");
        s.append("complete -c crate -f\n");
        emitFish(CommandTree.root(), "", s);
        s.append("complete -c crate -l env -x -a '(crate completion --list envs 2>/dev/null)'\n");
        for (String path : secretNamePaths()) {
            s.append("complete -c crate -n 'test \"(__crate_path)\" = \"")
                    .append(path)
                    .append("\"' -a '(crate completion --list secrets 2>/dev/null)'\n");
        }
        return s.toString();
    }

    private static void emitFish(CommandTree node, String path, StringBuilder s) {
        String condition = "-n 'test \"(__crate_path)\" = \"" + path.trim() + "\"'";
        if (node.isGroup()) {
            for (CommandTree child : node.children()) {
                s.append("complete -c crate ")
                        .append(condition)
                        .append(" -a ")
                        .append(child.name())
                        .append(" -d ")
                        .append(quote(child.description()))
                        .append('\n');
                emitFish(child, path + " " + child.name(), s);
            }
        } else {
            for (CommandTree.OptionSpec option : node.options()) {
                s.append("complete -c crate ").append(condition).append(" -l ").append(option.name());
                if (option.shortName() != '\u0000') {
                    s.append(" -s ").append(option.shortName());
                }
                if (option.hasValue()) {
                    s.append(" -r");
                }
                if (!option.allowedValues().isEmpty()) {
                    s.append(" -a ").append(quote(String.join(" ", option.allowedValues())));
                }
                s.append(" -d ").append(quote(option.description())).append('\n');
            }
        }
    }

    private static String quote(String text) {
        String shortText = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "'" + shortText.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
