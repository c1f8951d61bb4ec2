package dev.crate.cli.commands.auth;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.MembersClient;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.Me;
import dev.crate.protocol.wire.Member;
import dev.crate.protocol.wire.Membership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "whoami", description = "who the server takes you for: your organizations, roles and grants")
public class WhoamiCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        Me me = context.identity().me();
        String kind = me.kind() != null ? me.kind() : context.token().startsWith("crate_") ? "api_key" : "user";
        Table table = new Table("KIND", "SUBJECT", "EMAIL", "ORGANIZATION", "ORG ID", "ROLE", "GRANTS");
        List<Map<String, Object>> orgs = new ArrayList<>();
        for (Membership org : me.organizations() == null ? List.<Membership>of() : me.organizations()) {
            String grants = grants(context, me, org);
            table.row(
                    kind,
                    Objects.toString(me.subject(), ""),
                    Objects.toString(me.email(), ""),
                    org.name(),
                    org.id(),
                    Objects.toString(org.role(), ""),
                    grants);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", org.id());
            entry.put("name", org.name());
            entry.put("role", org.role());
            entry.put("grants", grants);
            orgs.add(entry);
        }
        if (table.isEmpty()) {
            table.row(kind, Objects.toString(me.subject(), ""), Objects.toString(me.email(), ""), "", "", "", "");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", kind);
        data.put("subject", me.subject());
        data.put("email", me.email());
        data.put("name", me.name());
        data.put("organizations", orgs);
        context.printer().print(data, table);
        return 0;
    }

    /**
     * What the role grants: admins everything, viewers names only; a member's per-environment grants as the
     * member list tells them, when the caller may read it (else it says so).
     */
    private static String grants(Context context, Me me, Membership org) {
        if ("admin".equals(org.role())) {
            return "all environments: read+write";
        }
        if ("viewer".equals(org.role())) {
            return "none (names and versions only)";
        }
        if (!"member".equals(org.role()) || "api_key".equals(me.kind())) {
            return "";
        }
        try {
            return new MembersClient(context.client(), org.id().toString())
                    .list().stream()
                            .filter(m -> Objects.equals(m.subject(), me.subject())
                                    || me.email() != null && me.email().equalsIgnoreCase(m.email()))
                            .findFirst()
                            .map(Member::grants)
                            .map(Grants::format)
                            .map(g -> g.isEmpty() ? "none" : g)
                            .orElse("(not visible to you: ask an admin)");
        } catch (CliException e) {
            return "(not visible to you: ask an admin)";
        }
    }
}
