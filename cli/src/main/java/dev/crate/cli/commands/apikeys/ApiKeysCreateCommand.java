package dev.crate.cli.commands.apikeys;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "create", description = "create an API key; its secret part is printed once")
public class ApiKeysCreateCommand extends CrateCommand {
    @Argument(description = "a name for people, such as \"CI pipeline\"", required = true)
    String name;

    @Option(
            name = "role",
            description = "admin, member or viewer (default admin)",
            allowedValues = {"admin", "member", "viewer"})
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
        CreatedApiKey created = context.apiKeys().create(request());
        Table table = new Table("ID", "NAME", "ROLE", "PREFIX", "EXPIRES");
        table.row(
                created.id(),
                created.name(),
                created.role(),
                created.prefix(),
                Objects.toString(created.expiresAt(), ""));
        context.printer().print(created, table);
        if (context.format() == Format.TABLE) {
            context.out().println();
            context.out().println("Key (shown once, store it now):");
            context.out().println(created.key());
        }
        return 0;
    }

    private CreateApiKeyRequest request() {
        OffsetDateTime expires = null;
        if (expiresAt != null) {
            try {
                expires = OffsetDateTime.parse(expiresAt);
            } catch (DateTimeParseException e) {
                throw CliException.usage("--expires-at wants an RFC 3339 time, such as 2030-01-01T00:00:00Z");
            }
        }
        return new CreateApiKeyRequest(
                name,
                role,
                expires,
                grants == null ? null : Grants.parse(grants),
                environments == null ? null : Lists.split(environments),
                tags == null ? null : Lists.split(tags),
                readOnly ? Boolean.TRUE : null);
    }
}
