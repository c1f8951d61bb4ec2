package dev.crate.cli.commands.members;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "remove", description = "remove a member from the organization")
public class MembersRemoveCommand extends CrateCommand {
    @Argument(description = "member id (see 'crate members list')", required = true)
    String id;

    @Override
    protected int run(Context context) {
        context.members().remove(id);
        context.err().println("removed member " + id);
        return 0;
    }
}
