package dev.crate.cli;

import dev.crate.cli.commands.RootCommand;
import org.aesh.AeshRuntimeRunner;
import org.aesh.command.CommandResult;

/** {@code crate}: runs one command and exits with its code (0 ok, 1 failure, 2 usage, the child's for run). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v") || args[0].equals("version"))) {
            // answered before Aesh loads: this is the start-up floor the benchmark measures
            System.out.println("crate " + Version.get() + " (Java " + Runtime.version().feature() + ")");
            System.exit(0);
        }
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandResult result = AeshRuntimeRunner.builder().command(RootCommand.class).args(args).execute();
        System.out.flush();
        return result == null ? 1 : result.getResultValue();
    }
}
