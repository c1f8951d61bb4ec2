package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(name = "get", description = "one workload identity binding, by id or name")
public class WorkloadIdentitiesGetCommand extends CrateCommand {
    @Argument(description = "the binding's id or name (see 'crate workload-identities list')", required = true)
    String id;

    @Override
    protected int run(Context context) {
        JsonNode binding = context.workloadIdentities().get(id);
        context.printer().print(binding, BindingTable.of(List.of(binding)));
        return 0;
    }
}
