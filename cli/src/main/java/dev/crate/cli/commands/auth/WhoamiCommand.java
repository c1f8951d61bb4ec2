package dev.crate.cli.commands.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.ApiException;
import dev.crate.cli.client.Json;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "whoami", description = "who the server takes you for, and your organizations")
public class WhoamiCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        JsonNode me = me(context);
        Table table = new Table("KIND", "SUBJECT", "EMAIL", "ORGANIZATION", "ORG ID", "ROLE");
        for (JsonNode org : me.path("organizations")) {
            table.row(me.path("kind").asText(""), me.path("subject").asText(""), me.path("email").asText(""),
                    org.path("name").asText(""), org.path("id").asText(""), org.path("role").asText(""));
        }
        if (table.isEmpty()) {
            table.row(me.path("kind").asText(""), me.path("subject").asText(""), me.path("email").asText(""), "", "", "");
        }
        context.printer().print(me, table);
        return 0;
    }

    /** {@code GET /me}; servers without it still tell the organizations the credential can see. */
    private static JsonNode me(Context context) {
        try {
            return context.client().get("/me");
        } catch (ApiException.NotFound older) {
            ObjectNode me = Json.MAPPER.createObjectNode();
            me.put("kind", context.token().startsWith("crate_") ? "api_key" : "user");
            me.put("server", context.server());
            me.set("organizations", context.client().get("/organizations").path("organizations"));
            return me;
        }
    }
}
