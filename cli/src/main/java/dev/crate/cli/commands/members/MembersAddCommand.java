package dev.crate.cli.commands.members;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "add", description = "add a member by email (or --subject)")
public class MembersAddCommand extends CrateCommand {
    @Argument(description = "email address, or the OIDC subject with --subject", required = true)
    String who;

    @Option(name = "subject", hasValue = false, description = "the argument is an OIDC subject, not an email")
    boolean subject;

    @Option(name = "role", description = "admin, member or viewer (default member)", allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(name = "grants", description = "per-environment grants, such as dev:read+write,prod:read")
    String grants;

    @Override
    protected int run(Context context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(subject ? "subject" : "email", who);
        body.put("role", role == null ? "member" : role);
        if (grants != null) {
            body.put("grants", Grants.parse(grants));
        }
        JsonNode m = MembersApi.call(() -> context.client().send("POST", MembersApi.path(context), body));
        context.printer().print(m, new Table("ID", "EMAIL", "ROLE", "GRANTS").row(m.path("id").asText(), m.path("email").asText(""),
                m.path("role").asText(), Grants.format(m.path("grants"))));
        return 0;
    }
}
