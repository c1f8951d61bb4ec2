package dev.crate.cli.commands.auth;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.Me;
import dev.crate.protocol.wire.Membership;
import java.util.Objects;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "whoami", description = "who the server takes you for, and your organizations")
public class WhoamiCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        Me me = context.identity().me();
        String kind = me.kind() != null ? me.kind() : context.token().startsWith("crate_") ? "api_key" : "user";
        Table table = new Table("KIND", "SUBJECT", "EMAIL", "ORGANIZATION", "ORG ID", "ROLE");
        for (Membership org : me.organizations() == null ? java.util.List.<Membership>of() : me.organizations()) {
            table.row(kind, Objects.toString(me.subject(), ""), Objects.toString(me.email(), ""), org.name(), org.id(),
                    Objects.toString(org.role(), ""));
        }
        if (table.isEmpty()) {
            table.row(kind, Objects.toString(me.subject(), ""), Objects.toString(me.email(), ""), "", "", "");
        }
        context.printer().print(new Me(kind, me.subject(), me.email(), me.name(), me.organizations()), table);
        return 0;
    }
}
