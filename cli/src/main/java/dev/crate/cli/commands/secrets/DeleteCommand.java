package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.SecretNameCompleter;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(
        name = "delete",
        description = "delete a secret (soft delete; storing the name again continues its versions)")
public class DeleteCommand extends CrateCommand {
    @Argument(description = "secret name", required = true, completer = SecretNameCompleter.class)
    String name;

    @Override
    protected int run(Context context) {
        SecretValues.checkName(name);
        String environment = context.env();
        context.secrets().delete(name, environment);
        context.err().println("deleted " + name + " from " + environment);
        return 0;
    }
}
