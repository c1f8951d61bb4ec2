package dev.crate.cli.commands.members;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.MemberList;
import java.util.Objects;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "members with their role and per-environment grants")
public class MembersListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        MemberList members = new MemberList(context.members().list());
        Table table = new Table("ID", "EMAIL", "NAME", "ROLE", "GRANTS");
        members.members()
                .forEach(m -> table.row(
                        m.id(),
                        Objects.toString(m.email(), ""),
                        Objects.toString(m.name(), ""),
                        m.role(),
                        Grants.format(m.grants())));
        context.printer().print(members, table);
        return 0;
    }
}
