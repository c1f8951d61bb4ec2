package dev.crate.cli.commands.run;

import dev.crate.cli.commands.Argv;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Usage;
import java.util.List;
import java.util.stream.Stream;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Arguments;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "run",
        description = "run a command with the secrets of an environment in its environment",
        stopAtFirstPositional = true)
public class RunCommand extends CrateCommand {
    @Option(
            name = "tags",
            description = "only secrets carrying all these comma-separated tags (default: .crate.yaml tags)")
    String tags;

    @Option(name = "names", description = "only these comma-separated names")
    String names;

    @Option(name = "command", description = "a shell command line, run with /bin/sh -c")
    String command;

    @Option(
            name = "preserve-env",
            hasValue = false,
            description = "variables already set win over secrets of the same name")
    boolean preserveEnv;

    @Option(name = "allow-dangerous", hasValue = false, description = "allow names such as LD_PRELOAD or NODE_OPTIONS")
    boolean allowDangerous;

    @Option(name = "quiet", shortName = 'q', hasValue = false, description = "do not say what was injected")
    boolean quiet;

    @Option(
            name = "require-secrets",
            hasValue = false,
            description = "exit 1 before starting the command when no secret matches")
    boolean requireSecrets;

    @Option(name = "fail-if-empty", hasValue = false, description = "the same as --require-secrets")
    boolean failIfEmpty;

    @Option(
            name = "watch",
            hasValue = false,
            description = "restart the command when a secret it uses changes (follows the server's event stream)")
    boolean watch;

    @Option(
            name = "watch-signal",
            description = "with --watch: send this signal (e.g. SIGHUP) instead of restarting; needs --env-file")
    String watchSignal;

    @Option(
            name = "env-file",
            description = "also write the secrets to this .env file (mode 0600, replaced atomically)")
    String envFile;

    @Arguments(description = "-- command and its arguments")
    List<String> args;

    @Override
    protected int run(Context context) {
        // Inside the shell Aesh parses the line and leaves an unknown option before -- in args, where
        // it would become the program to run; one-shot calls were checked by Argv already.
        if (args != null
                && Argv.parse(Stream.concat(Stream.of("run"), args.stream()).toArray(String[]::new))
                        instanceof Argv.Usage usage) {
            return Usage.print(usage.reason(), usage.command());
        }
        return new RunAction(
                        tags,
                        names,
                        command,
                        preserveEnv,
                        allowDangerous,
                        quiet,
                        requireSecrets || failIfEmpty,
                        args,
                        new RunWatch(watch, watchSignal, envFile))
                .run(context);
    }
}
