package dev.crate.cli.commands.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "API keys that are not revoked, without key material")
public class ApiKeysListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        JsonNode answer = context.client().get(context.orgPath() + "/api-keys");
        Table table = new Table("ID", "NAME", "ROLE", "PREFIX", "CREATED", "EXPIRES", "LAST USED");
        for (JsonNode key : answer.path("api_keys")) {
            table.row(key.path("id").asText(), key.path("name").asText(), key.path("role").asText(), key.path("prefix").asText(),
                    key.path("created_at").asText(""), key.path("expires_at").asText(""), key.path("last_used_at").asText(""));
        }
        context.printer().print(answer, table);
        return 0;
    }
}
