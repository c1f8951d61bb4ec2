package dev.crate.cli.commands.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "create", description = "create an API key; its secret part is printed once")
public class ApiKeysCreateCommand extends CrateCommand {
    @Argument(description = "a name for people, such as \"CI pipeline\"", required = true)
    String name;

    @Option(name = "role", description = "admin, member or viewer (default admin)", allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(name = "expires-at", description = "RFC 3339 time when the key stops working")
    String expiresAt;

    @Option(name = "environments", description = "comma-separated environments the key is limited to")
    String environments;

    @Option(name = "tags", description = "the key only sees secrets carrying one of these comma-separated tags")
    String tags;

    @Option(name = "read-only", hasValue = false, description = "the key cannot change anything")
    boolean readOnly;

    @Option(name = "grants", description = "per-environment grants, such as dev:read+write,prod:read")
    String grants;

    @Override
    protected int run(Context context) {
        JsonNode created = context.client().send("POST", context.orgPath() + "/api-keys", body());
        Table table = new Table("ID", "NAME", "ROLE", "PREFIX", "EXPIRES");
        table.row(created.path("id").asText(), created.path("name").asText(), created.path("role").asText(),
                created.path("prefix").asText(), created.path("expires_at").asText(""));
        context.printer().print(created, table);
        if (context.format() == Format.TABLE) {
            context.out().println();
            context.out().println("Key (shown once, store it now):");
            context.out().println(created.path("key").asText());
        }
        return 0;
    }

    private Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (role != null) {
            body.put("role", role);
        }
        if (expiresAt != null) {
            try {
                body.put("expires_at", OffsetDateTime.parse(expiresAt).toString());
            } catch (DateTimeParseException e) {
                throw CliException.usage("--expires-at wants an RFC 3339 time, such as 2030-01-01T00:00:00Z");
            }
        }
        if (environments != null) {
            body.put("environments", Lists.split(environments));
        }
        if (tags != null) {
            body.put("tags", Lists.split(tags));
        }
        if (readOnly) {
            body.put("read_only", true);
        }
        if (grants != null) {
            body.put("grants", Grants.parse(grants));
        }
        return body;
    }
}
