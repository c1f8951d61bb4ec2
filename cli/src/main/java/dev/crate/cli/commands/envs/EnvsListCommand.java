package dev.crate.cli.commands.envs;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.EnvironmentList;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "the organization's environments")
public class EnvsListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        EnvironmentList list = new EnvironmentList(context.environments().list());
        Table table = new Table("NAME", "BUILTIN", "CREATED");
        list.environments().forEach(e -> table.row(e.name(), e.builtin() ? "yes" : "", e.createdAt()));
        context.printer().print(list, table);
        return 0;
    }
}
