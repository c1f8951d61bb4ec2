package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "list", description = "list secret names of an environment, never values")
public class ListCommand extends CrateCommand {
    @Option(name = "tags", description = "only secrets carrying all these comma-separated tags")
    String tags;

    @Override
    protected int run(Context context) {
        return new ListAction(tags).run(context);
    }
}
