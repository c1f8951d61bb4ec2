package dev.crate.cli;

import dev.crate.cli.commands.Argv;
import dev.crate.cli.commands.CommandTree;
import dev.crate.cli.commands.Help;
import dev.crate.cli.commands.LeanArgv;
import dev.crate.cli.commands.RootCommand;
import dev.crate.cli.commands.Usage;
import dev.crate.cli.session.Host;
import java.util.Optional;
import org.aesh.AeshRuntimeRunner;
import org.aesh.command.CommandResult;
import org.aesh.command.parser.CommandLineParserException;
import org.aesh.command.validator.CommandValidatorException;
import org.aesh.command.validator.OptionValidatorException;

/** {@code crate}: runs one command and exits with its code (0 ok, 1 failure, 2 usage, the child's for run). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Timing.mark("main");
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v") || args[0].equals("version"))) {
            // answered before Aesh loads: this is the start-up floor the benchmark measures
            System.out.println(
                    "crate " + Version.get() + " (Java " + Runtime.version().feature() + ")");
            System.exit(0);
        }
        int code = execute(args);
        Timing.mark("done");
        System.exit(code);
    }

    /** Runs one command line: the lean path when it can ({@link LeanArgv}), else the full one. */
    public static int execute(String... args) {
        Optional<LeanArgv.Lean> lean = LeanArgv.parse(args);
        if (lean.isPresent()) {
            int code = lean.get().run();
            System.out.flush();
            return code;
        }
        return executeFull(args);
    }

    /** The full command line (Argv, then Aesh), which the lean path must answer alike; tests compare the two. */
    public static int executeFull(String... args) {
        Argv.Outcome outcome = Argv.parse(args);
        if (outcome instanceof Argv.ShowHelp help) {
            return Help.print(help.command());
        }
        if (outcome instanceof Argv.Usage usage) {
            return Usage.print(usage.reason(), usage.command());
        }
        Argv.Execute execute = (Argv.Execute) outcome;
        try {
            CommandResult result = AeshRuntimeRunner.builder()
                    .command(RootCommand.class)
                    .args(execute.args())
                    .execute();
            System.out.flush();
            return result == null ? 1 : result.getResultValue();
        } catch (RuntimeException e) {
            return failure(e, execute.command());
        }
    }

    /** Aesh reports some parse and validation failures by throwing; they are usage errors, told in one line. */
    private static int failure(RuntimeException e, CommandTree command) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OptionValidatorException
                    || cause instanceof CommandLineParserException
                    || cause instanceof CommandValidatorException) {
                return Usage.print(cause.getMessage(), command);
            }
        }
        Host.current().err().println("crate: unexpected " + e.getClass().getSimpleName() + "; please report it");
        return 1;
    }
}
