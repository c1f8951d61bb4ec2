package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "list", description = "list secret names of an environment, never values")
public class ListCommand extends CrateCommand {
    @Option(name = "tags", description = "only secrets carrying all these comma-separated tags")
    String tags;

    @Override
    protected int run(Context context) {
        List<SecretMetadata> secrets = context.secrets().list(context.env(), Lists.split(tags));
        Table table = new Table("NAME", "VERSION", "TAGS", "UPDATED");
        secrets.forEach(s -> table.row(s.name(), s.version(), String.join(",", s.tags()), s.updatedAt()));
        context.printer().print(Map.of("secrets", secrets), table);
        return 0;
    }
}
