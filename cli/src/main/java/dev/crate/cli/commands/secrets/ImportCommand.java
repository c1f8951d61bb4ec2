package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.SecretsClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.SecretFile;
import dev.crate.cli.output.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "import",
        description = "store the secrets of a .env, JSON or YAML file (- for stdin); " + "unchanged values are skipped")
public class ImportCommand extends CrateCommand {
    @Argument(description = "file to import, or - for stdin", required = true)
    String file;

    @Option(
            name = "format",
            description = "dotenv, json or yaml (default: from the file name)",
            allowedValues = {"dotenv", "json", "yaml"})
    String format;

    @Option(name = "tags", description = "comma-separated tags to give the imported secrets")
    String tags;

    @Option(name = "dry-run", hasValue = false, description = "show what would change, store nothing")
    boolean dryRun;

    /** One line of the plan: what happens to a name; never its value. */
    record Change(String name, String action) {}

    @Override
    protected int run(Context context) {
        Map<String, String> incoming =
                SecretFile.read(read(context), format != null ? SecretFile.kind(format) : SecretFile.kindOfFile(file));
        incoming.forEach((name, value) -> {
            SecretValues.checkName(name);
            SecretValues.checkValue(name, value);
        });
        SecretValues.warnIfDangerous(context, incoming.keySet());
        SecretsClient secrets = context.secrets();
        String environment = context.env();
        Map<String, String> current = new HashMap<>();
        if (!incoming.isEmpty()) {
            secrets.retrieve(environment, new ArrayList<>(incoming.keySet()), null)
                    .secrets()
                    .forEach(s -> current.put(s.name(), s.value()));
        }
        List<String> tagList = tags == null ? null : Lists.split(tags);
        List<Change> plan = new ArrayList<>();
        incoming.forEach((name, value) -> {
            String action =
                    !current.containsKey(name) ? "create" : current.get(name).equals(value) ? "unchanged" : "update";
            if (!dryRun && !action.equals("unchanged")) {
                secrets.store(name, environment, value, tagList);
            }
            plan.add(new Change(name, dryRun && !action.equals("unchanged") ? "would " + action : action));
        });
        Table table = new Table("NAME", "ACTION");
        plan.forEach(c -> table.row(c.name(), c.action()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", environment);
        data.put("dry_run", dryRun);
        data.put("changes", plan);
        context.printer().print(data, table);
        return 0;
    }

    private String read(Context context) {
        if ("-".equals(file)) {
            try {
                return new String(context.host().in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read stdin");
            }
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
