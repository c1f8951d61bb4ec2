package dev.crate.cli.commands.apikeys;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "revoke", description = "revoke an API key by id; effective on its next request")
public class ApiKeysRevokeCommand extends CrateCommand {
    @Argument(description = "the key's id (see 'crate api-keys list')", required = true)
    String id;

    @Override
    protected int run(Context context) {
        context.apiKeys().revoke(id);
        context.err().println("revoked API key " + id);
        return 0;
    }
}
