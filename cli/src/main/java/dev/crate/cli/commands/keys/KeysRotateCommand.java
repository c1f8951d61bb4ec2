package dev.crate.cli.commands.keys;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.KeyRotation;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "rotate",
        description = "rotate the org key (existing data keys are re-wrapped in the background) "
                + "or the transport key pair (the old one works for the grace period)")
public class KeysRotateCommand extends CrateCommand {
    @Option(name = "tier", description = "org or transport", required = true)
    String tier;

    @Override
    protected int run(Context context) {
        if (!"org".equals(tier) && !"transport".equals(tier)) {
            throw CliException.usage("--tier must be org or transport");
        }
        KeyRotation rotation = context.keys().rotate(tier);
        context.printer()
                .print(
                        rotation,
                        new Table("TIER", "FROM", "TO", "STATE")
                                .row(rotation.tier(), rotation.fromKey(), rotation.toKey(), rotation.state()));
        return 0;
    }
}
