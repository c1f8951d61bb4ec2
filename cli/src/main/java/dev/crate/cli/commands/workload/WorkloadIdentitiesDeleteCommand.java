package dev.crate.cli.commands.workload;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(
        name = "delete",
        description = "delete a binding; the tokens it issued stop working on their next request")
public class WorkloadIdentitiesDeleteCommand extends CrateCommand {
    @Argument(description = "the binding's id or name (see 'crate workload-identities list')", required = true)
    String id;

    @Override
    protected int run(Context context) {
        String deleted = context.workloadIdentities().delete(id);
        context.err().println("deleted workload identity binding " + deleted);
        return 0;
    }
}
