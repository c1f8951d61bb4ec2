package dev.crate.cli.commands.session;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.protocol.wire.Organization;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "set", description = "select the organization by id or name")
public class OrgSetCommand extends CrateCommand {
    @Argument(description = "organization id or name", required = true)
    String organization;

    @Override
    protected int run(Context context) {
        Organization org = context.organizations()
                .find(organization)
                .orElseThrow(() ->
                        new CliException("no organization '" + organization + "' among yours: see 'crate orgs list'"));
        context.session().setOrg(org.id().toString(), org.name());
        context.err().println("organization set to " + org.name() + " (" + org.id() + ")");
        return 0;
    }
}
