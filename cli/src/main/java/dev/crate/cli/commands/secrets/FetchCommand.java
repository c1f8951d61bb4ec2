package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "fetch",
        description = "retrieve secret values (one sealed retrieval) and print them as dotenv, json or yaml")
public class FetchCommand extends CrateCommand {
    @Option(name = "names", description = "comma-separated names (default: all)")
    String names;

    @Option(
            name = "tags",
            description = "only secrets carrying all these comma-separated tags (default: .crate.yaml tags)")
    String tags;

    @Option(
            name = "format",
            description = "dotenv (default), json or yaml",
            allowedValues = {"dotenv", "json", "yaml"})
    String format;

    @Override
    protected int run(Context context) {
        return new FetchAction(names, tags, format, output).run(context);
    }
}
