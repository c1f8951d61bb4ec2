package dev.crate.cli.commands.tags;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.TagList;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "list", description = "list tags with their color and description")
public class TagsListCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        TagList tags = new TagList(context.tags().list());
        Table table = new Table("NAME", "COLOR", "DESCRIPTION");
        tags.tags()
                .forEach(t -> table.row(
                        t.name(),
                        t.metadata() == null ? "" : t.metadata().color(),
                        t.metadata() == null ? "" : t.metadata().description()));
        context.printer().print(tags, table);
        return 0;
    }
}
