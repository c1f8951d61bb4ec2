package dev.crate.cli.commands;

import dev.crate.cli.client.CliException;
import dev.crate.cli.session.Host;
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

    protected CommandInvocation invocation;

    @Override
    public CommandResult execute(CommandInvocation invocation) {
        dev.crate.cli.Timing.mark("command parsed");
        this.invocation = invocation;
        Host host = Host.current();
        try {
            Context context = new Context(host, new GlobalOptions(server, org, env, output));
            context.warnAboutProjectFile();
            return CommandResult.valueOf(run(context));
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE) {
                return CommandResult.valueOf(
                        Usage.print(e.getMessage(), CommandTree.find(getClass()).orElse(CommandTree.root())));
            }
            host.err().println("crate: " + e.getMessage());
            return CommandResult.valueOf(e.exitCode());
        } catch (RuntimeException e) {
            host.err().println("crate: unexpected " + e.getClass().getSimpleName() + "; please report it");
            return CommandResult.valueOf(CliException.FAILURE);
        }
    }

    /** Runs the command and answers its exit code. */
    protected abstract int run(Context context);

    protected boolean inShell() {
        return ShellState.active();
    }
}
