package dev.crate.cli.commands;

import dev.crate.cli.client.CliException;
import dev.crate.cli.session.Host;

/** How a usage error reads: one {@code crate: <reason>} line and where the command's help is; exit 2. */
public final class Usage {
    private Usage() {}

    public static int print(String reason, CommandTree command) {
        Host.current().err().println("crate: " + reason);
        Host.current().err().println(command.hint());
        return CliException.USAGE;
    }
}
