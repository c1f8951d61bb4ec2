package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.SecretsClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.SecretMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Arguments;
import org.aesh.command.option.Option;
import org.aesh.readline.prompt.Prompt;

@CommandDefinition(
        name = "set",
        description =
                "store secrets, sealed locally: NAME VALUE, NAME - (stdin), NAME --from-file F, " + "or NAME=VALUE ...")
public class SetCommand extends CrateCommand {
    @Option(name = "tags", description = "comma-separated tags; replace the secret's tags")
    String tags;

    @Option(name = "from-file", description = "read the value of the one NAME from this file")
    String fromFile;

    @Arguments(description = "NAME VALUE | NAME - | NAME=VALUE ...")
    List<String> args;

    @Override
    protected int run(Context context) {
        Map<String, String> values = values(context);
        SecretValues.warnIfDangerous(context, values.keySet());
        List<String> tagList = tags == null ? null : Lists.split(tags);
        SecretsClient secrets = context.secrets();
        String environment = context.env();
        List<SecretMetadata> stored = new ArrayList<>();
        values.forEach((name, value) -> stored.add(secrets.store(name, environment, value, tagList)));
        Table table = new Table("NAME", "ENVIRONMENT", "VERSION", "TAGS");
        stored.forEach(s -> table.row(s.name(), s.environment(), s.version(), String.join(",", s.tags())));
        context.printer().print(stored, table);
        return 0;
    }

    private Map<String, String> values(Context context) {
        List<String> given = args == null ? List.of() : args;
        if (given.isEmpty()) {
            throw CliException.usage(
                    "usage: crate secrets set NAME VALUE | NAME - | NAME --from-file FILE | NAME=VALUE ...");
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (!given.get(0).contains("=")) {
            String name = given.get(0);
            SecretValues.checkName(name);
            if (given.size() > 2) {
                throw CliException.usage("give one NAME VALUE, or NAME=VALUE pairs");
            }
            values.put(name, single(context, name, given.size() == 2 ? given.get(1) : null));
        } else {
            if (fromFile != null) {
                throw CliException.usage("--from-file takes one NAME, not NAME=VALUE pairs");
            }
            for (String pair : given) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw CliException.usage("expected NAME=VALUE pairs");
                }
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            warnHistory(context);
        }
        values.forEach((name, value) -> {
            SecretValues.checkName(name);
            SecretValues.checkValue(name, value);
        });
        return values;
    }

    private String single(Context context, String name, String value) {
        if (fromFile != null) {
            if (value != null) {
                throw CliException.usage("give either a VALUE or --from-file, not both");
            }
            return readFile(Path.of(fromFile));
        }
        if ("-".equals(value)) {
            return readStdin(context);
        }
        if (value != null) {
            warnHistory(context);
            return value;
        }
        if (inShell()) {
            return ask(name);
        }
        if (System.console() != null && context.host().in() == System.in) {
            char[] typed = System.console().readPassword("value for %s: ", name);
            return typed == null ? "" : new String(typed);
        }
        return readStdin(context);
    }

    private String ask(String name) {
        try {
            return invocation.inputLine(new Prompt("value for " + name + ": ", '*'));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private void warnHistory(Context context) {
        if (inShell()) {
            context.err().println("crate: note: values typed on the shell line are not kept in its history");
        } else {
            context.err()
                    .println("crate: warning: a value given on the command line is kept in your shell history; "
                            + "use '-' to read it from stdin, or --from-file");
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static String readStdin(Context context) {
        try {
            String text = new String(context.host().in().readAllBytes(), StandardCharsets.UTF_8);
            // a single trailing newline comes from `echo` or a heredoc, not from the value
            return text.endsWith("\r\n")
                    ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException("cannot read stdin");
        }
    }
}
