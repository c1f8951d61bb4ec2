package dev.crate.cli.commands.auth;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "logout", description = "forget the stored credential for the server")
public class LogoutCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        String server = context.server();
        boolean had = context.tokens().remove(server);
        context.err().println(had ? "logged out of " + server : "no stored credential for " + server);
        if (context.host().env("CRATE_TOKEN") != null) {
            context.err().println("note: CRATE_TOKEN is set in your environment and still applies");
        }
        dev.crate.cli.session.WorkloadSource.variableSet(context.host())
                .ifPresent(v -> context.err().println("note: " + v + " is set in your environment and still applies"));
        return 0;
    }
}
