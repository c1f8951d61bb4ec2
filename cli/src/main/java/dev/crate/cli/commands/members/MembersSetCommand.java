package dev.crate.cli.commands.members;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.CrateClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "set", description = "change a member's role or grants")
public class MembersSetCommand extends CrateCommand {
    @Argument(description = "member id (see 'crate members list')", required = true)
    String id;

    @Option(name = "role", description = "admin, member or viewer", allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(name = "grants", description = "per-environment grants, replacing the current ones: dev:read+write,prod:read")
    String grants;

    @Override
    protected int run(Context context) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (role != null) {
            body.put("role", role);
        }
        if (grants != null) {
            body.put("grants", Grants.parse(grants));
        }
        if (body.isEmpty()) {
            throw CliException.usage("give --role and/or --grants");
        }
        JsonNode m = MembersApi.call(() -> context.client().send("PATCH", MembersApi.path(context) + "/" + CrateClient.query(id), body));
        context.printer().print(m, new Table("ID", "EMAIL", "ROLE", "GRANTS").row(m.path("id").asText(), m.path("email").asText(""),
                m.path("role").asText(), Grants.format(m.path("grants"))));
        return 0;
    }
}
