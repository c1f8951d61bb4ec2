package dev.crate.cli.commands.members;

import dev.crate.cli.client.CrateClient;
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
        MembersApi.call(() -> context.client().send("DELETE", MembersApi.path(context) + "/" + CrateClient.query(id), null));
        context.err().println("removed member " + id);
        return 0;
    }
}
