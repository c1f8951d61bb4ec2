package dev.crate.cli.commands.apikeys;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.ApiKeyList;
import java.util.Objects;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "API keys that are not revoked, without key material")
public class ApiKeysListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        ApiKeyList keys = new ApiKeyList(context.apiKeys().list());
        Table table = new Table("ID", "NAME", "ROLE", "PREFIX", "CREATED", "EXPIRES", "LAST USED");
        keys.apiKeys()
                .forEach(k -> table.row(
                        k.id(),
                        k.name(),
                        k.role(),
                        k.prefix(),
                        k.createdAt(),
                        Objects.toString(k.expiresAt(), ""),
                        Objects.toString(k.lastUsedAt(), "")));
        context.printer().print(keys, table);
        return 0;
    }
}
