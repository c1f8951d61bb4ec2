package dev.crate.cli.commands.members;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.protocol.wire.AddMemberRequest;
import dev.crate.protocol.wire.Member;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "add", description = "add a member by email (or --subject)")
public class MembersAddCommand extends CrateCommand {
    @Argument(description = "email address, or the OIDC subject with --subject", required = true)
    String who;

    @Option(name = "subject", hasValue = false, description = "the argument is an OIDC subject, not an email")
    boolean subject;

    @Option(
            name = "role",
            description = "admin, member or viewer (default member)",
            allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(name = "grants", description = "per-environment grants, such as dev:read+write,prod:read")
    String grants;

    @Override
    protected int run(Context context) {
        Member m = context.members()
                .add(new AddMemberRequest(
                        subject ? null : who,
                        subject ? who : null,
                        role == null ? "member" : role,
                        grants == null ? null : Grants.parse(grants)));
        context.printer().print(m, MemberTable.of(m));
        return 0;
    }
}
