package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "update",
        description = "change a binding: only the fields given (--claim replaces all claim rules); effective on the"
                + " next request of every token it issued")
public class WorkloadIdentitiesUpdateCommand extends BindingOptions {
    @Argument(description = "the binding's id or name (see 'crate workload-identities list')", required = true)
    String id;

    @Option(name = "name", description = "a new name")
    String newName;

    @Option(name = "no-read-only", hasValue = false, description = "let the issued tokens write again")
    boolean noReadOnly;

    @Override
    protected int run(Context context) {
        if (readOnly && noReadOnly) {
            throw CliException.usage("--read-only and --no-read-only exclude each other");
        }
        ObjectNode body = body(newName, readOnly ? Boolean.TRUE : noReadOnly ? Boolean.FALSE : null)
                .toJson();
        if (body.isEmpty()) {
            throw CliException.usage("nothing to change: give at least one of the binding's options");
        }
        JsonNode updated = context.workloadIdentities().update(id, body);
        context.printer().print(updated, BindingTable.of(List.of(updated)));
        return 0;
    }
}
