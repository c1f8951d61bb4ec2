package dev.crate.cli.commands.orgs;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.CreatedOrganization;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(
        name = "create",
        description = "create an organization (with an API key the answer carries its first admin key, once)")
public class OrgsCreateCommand extends CrateCommand {
    @Argument(description = "organization name", required = true)
    String name;

    @Override
    protected int run(Context context) {
        CreatedOrganization created = context.organizations().create(name);
        Table table = new Table("ID", "NAME", "CREATED");
        table.row(created.id(), created.name(), created.createdAt());
        context.printer().print(created, table);
        if (created.adminApiKey() != null && context.format() == dev.crate.cli.output.Format.TABLE) {
            context.out().println();
            context.out().println("Admin API key of the new organization (shown once, store it now):");
            context.out().println(created.adminApiKey().key());
        }
        return 0;
    }
}
