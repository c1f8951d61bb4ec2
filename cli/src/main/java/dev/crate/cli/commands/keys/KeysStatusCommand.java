package dev.crate.cli.commands.keys;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.KeyStatus;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "status", description = "org key versions, transport keys, schedules and re-wrap progress")
public class KeysStatusCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        KeyStatus status = context.keys().status();
        Table table = new Table("KEY", "STATE", "WRAPS", "CREATED", "NOTE");
        status.orgKeys()
                .forEach(k -> table.row(
                        "org v" + k.version(),
                        k.state(),
                        String.valueOf(k.wrapCount()),
                        k.createdAt(),
                        "root " + k.rootKid()));
        status.transportKeys()
                .forEach(t -> table.row(
                        "transport " + t.kid(),
                        t.state(),
                        "",
                        t.createdAt(),
                        t.graceUntil() == null ? "" : "grace until " + t.graceUntil()));
        if (status.orgKeyRotation() != null && status.orgKeyRotation().nextRotation() != null) {
            table.row("next org rotation", "", "", status.orgKeyRotation().nextRotation(), "");
        }
        if (status.transportKeyRotation() != null
                && status.transportKeyRotation().nextRotation() != null) {
            table.row(
                    "next transport rotation",
                    "",
                    "",
                    status.transportKeyRotation().nextRotation(),
                    "");
        }
        if (status.rewrap() != null && status.rewrap().running()) {
            table.row(
                    "re-wrap",
                    "running",
                    String.valueOf(status.rewrap().rewrapped()),
                    "",
                    status.rewrap().remaining() + " remaining");
        }
        context.printer().print(status, table);
        return 0;
    }
}
