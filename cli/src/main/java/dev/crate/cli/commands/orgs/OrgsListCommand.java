package dev.crate.cli.commands.orgs;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.OrganizationList;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "the organizations you belong to")
public class OrgsListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        OrganizationList list = new OrganizationList(context.organizations().list());
        String selected = context.orgSetting().orElse("");
        Table table = new Table("", "ID", "NAME", "CREATED");
        list.organizations()
                .forEach(o -> table.row(
                        o.id().toString().equalsIgnoreCase(selected) || o.name().equals(selected) ? "*" : "",
                        o.id(),
                        o.name(),
                        o.createdAt()));
        context.printer().print(list, table);
        return 0;
    }
}
