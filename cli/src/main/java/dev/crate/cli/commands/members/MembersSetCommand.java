package dev.crate.cli.commands.members;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.protocol.wire.Member;
import dev.crate.protocol.wire.UpdateMemberRequest;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "set", description = "change a member's role or grants")
public class MembersSetCommand extends CrateCommand {
    @Argument(description = "member id (see 'crate members list')", required = true)
    String id;

    @Option(
            name = "role",
            description = "admin, member or viewer",
            allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(
            name = "grants",
            description = "per-environment grants, replacing the current ones: dev:read+write,prod:read")
    String grants;

    @Override
    protected int run(Context context) {
        if (role == null && grants == null) {
            throw CliException.usage("give --role and/or --grants");
        }
        Member m = context.members()
                .update(id, new UpdateMemberRequest(role, grants == null ? null : Grants.parse(grants)));
        context.printer().print(m, MemberTable.of(m));
        return 0;
    }
}
