package dev.crate.cli.commands.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "set", description = "select the organization by id or name")
public class OrgSetCommand extends CrateCommand {
    @Argument(description = "organization id or name", required = true)
    String organization;

    @Override
    protected int run(Context context) {
        for (JsonNode org : context.client().get("/organizations").path("organizations")) {
            String id = org.path("id").asText();
            String name = org.path("name").asText();
            if (id.equalsIgnoreCase(organization) || name.equals(organization)) {
                context.session().setOrg(id, name);
                context.err().println("organization set to " + name + " (" + id + ")");
                return 0;
            }
        }
        throw new CliException("no organization '" + organization + "' among yours: see 'crate orgs list'");
    }
}
