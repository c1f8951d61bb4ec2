package dev.crate.cli.commands.members;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "members with their role and per-environment grants")
public class MembersListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        JsonNode answer = MembersApi.call(() -> context.client().get(MembersApi.path(context)));
        Table table = new Table("ID", "EMAIL", "NAME", "ROLE", "GRANTS");
        for (JsonNode m : answer.path("members")) {
            table.row(m.path("id").asText(), m.path("email").asText(""), m.path("name").asText(""), m.path("role").asText(),
                    Grants.format(m.path("grants")));
        }
        context.printer().print(answer, table);
        return 0;
    }
}
