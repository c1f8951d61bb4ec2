package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(
        name = "create",
        description = "bind an issuer's tokens (audience, subject and claim rules) to a scope; a binding never"
                + " grants more than you hold")
public class WorkloadIdentitiesCreateCommand extends BindingOptions {
    @Argument(description = "a name for people, such as \"github acme/api main\"", required = true)
    String name;

    @Override
    protected int run(Context context) {
        if (issuer == null || audience == null || subject == null || role == null) {
            throw CliException.usage("a binding needs --issuer, --audience, --subject (a glob such as"
                    + " system:serviceaccount:payments:* may do) and --role");
        }
        JsonNode created = context.workloadIdentities()
                .create(body(name, readOnly ? Boolean.TRUE : null).toJson());
        context.printer().print(created, BindingTable.of(List.of(created)));
        return 0;
    }
}
