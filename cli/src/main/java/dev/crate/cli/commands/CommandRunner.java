package dev.crate.cli.commands;

import dev.crate.cli.client.CliException;
import dev.crate.cli.session.Host;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Runs one command's body with its settings resolved, and is the one place where failures become a
 * one-line message on stderr and an exit code (never a stack trace). Both the Aesh commands and the
 * lean path ({@link LeanArgv}) come through here, so they answer alike; nothing here loads Aesh.
 */
public final class CommandRunner {
    private CommandRunner() {}

    public static int run(GlobalOptions flags, Supplier<CommandTree> command, ToIntFunction<Context> body) {
        dev.crate.cli.Timing.mark("command parsed");
        Host host = Host.current();
        try {
            Context context = new Context(host, flags);
            context.warnAboutProjectFile();
            return body.applyAsInt(context);
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE && e.helpHint()) {
                return Usage.print(e.getMessage(), command.get());
            }
            host.err().println("crate: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            host.err().println("crate: unexpected " + e.getClass().getSimpleName() + "; please report it");
            return CliException.FAILURE;
        }
    }
}
