package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.Json;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import java.util.List;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "the organization's workload identity bindings")
public class WorkloadIdentitiesListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        List<JsonNode> bindings = context.workloadIdentities().list();
        var data = Json.MAPPER.createObjectNode();
        data.putArray("workload_identities").addAll(bindings);
        context.printer().print(data, BindingTable.of(bindings));
        return 0;
    }
}
