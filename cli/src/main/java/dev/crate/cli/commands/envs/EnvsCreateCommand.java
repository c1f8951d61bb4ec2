package dev.crate.cli.commands.envs;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.Environment;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "create", description = "add an environment (admins)")
public class EnvsCreateCommand extends CrateCommand {
    @Argument(description = "environment name: lower-case letters, digits and '-'", required = true)
    String name;

    @Override
    protected int run(Context context) {
        if (!Limits.ENVIRONMENT.matcher(name).matches()) {
            throw CliException.usage(
                    "invalid environment name '" + name + "': lower-case letters, digits and '-', at most 32");
        }
        Environment created = context.environments().create(name);
        context.printer()
                .print(
                        created,
                        new Table("NAME", "BUILTIN", "CREATED")
                                .row(created.name(), created.builtin() ? "yes" : "", created.createdAt()));
        return 0;
    }
}
