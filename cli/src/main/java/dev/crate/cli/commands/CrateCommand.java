package dev.crate.cli.commands;

import org.aesh.command.Command;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;
import org.aesh.command.option.Option;

/**
 * Base of every leaf command: the shared options, and the one place where failures become a
 * one-line message on stderr and an exit code (never a stack trace).
 */
public abstract class CrateCommand implements Command<CommandInvocation> {
    @Option(name = "server", description = "Crate server URL (env CRATE_SERVER; default http://localhost:8080)")
    protected String server;

    @Option(name = "org", description = "organization id or name (env CRATE_ORG)")
    protected String org;

    @Option(
            name = "env",
            description = "environment (env CRATE_ENV; default dev)",
            completer = EnvironmentCompleter.class)
    protected String env;

    @Option(
            name = "output",
            shortName = 'o',
            description = "table, json or yaml",
            allowedValues = {"table", "json", "yaml"})
    protected String output;

    /**
     * Only for the shell, where Aesh parses the line: a one-shot call answers {@code -h}/{@code --help}
     * before Aesh ({@link Argv}). Left out of the {@link CommandTree}, whose help lists it as a global option.
     */
    @Option(name = "help", shortName = 'h', hasValue = false, overrideRequired = true, description = "show this help")
    protected boolean help;

    protected CommandInvocation invocation;

    @Override
    public CommandResult execute(CommandInvocation invocation) {
        this.invocation = invocation;
        if (help) {
            return CommandResult.valueOf(Help.print(CommandTree.find(getClass()).orElse(CommandTree.root())));
        }
        return CommandResult.valueOf(CommandRunner.run(
                new GlobalOptions(server, org, env, output),
                () -> CommandTree.find(getClass()).orElse(CommandTree.root()),
                this::run));
    }

    /** Runs the command and answers its exit code. */
    protected abstract int run(Context context);

    protected boolean inShell() {
        return ShellState.active();
    }
}
