package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Arguments;

@CommandDefinition(name = "rollback", description = "store an older version's value as the secret's next version")
public class RollbackCommand extends CrateCommand {
    @Arguments(description = "NAME VERSION")
    List<String> arguments;

    @Override
    protected int run(Context context) {
        if (arguments == null || arguments.size() != 2) {
            throw CliException.usage("usage: crate secrets rollback NAME VERSION");
        }
        String name = arguments.get(0);
        SecretValues.checkName(name);
        int version;
        try {
            version = Integer.parseInt(arguments.get(1));
        } catch (NumberFormatException e) {
            throw CliException.usage("VERSION is a version number, as `crate secrets history " + name + "` lists them");
        }
        SecretMetadata stored = context.secrets().rollback(name, context.env(), version);
        if (context.format() != Format.TABLE) {
            context.printer().print(stored, new Table("NAME"));
        }
        context.err()
                .println("rolled " + name + " back to version " + version + " in " + stored.environment()
                        + ": now version " + stored.version());
        return 0;
    }
}
