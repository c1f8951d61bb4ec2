package dev.crate.cli.commands.completion;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.protocol.wire.Environment;
import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "completion",
        description = "print a completion script: bash, zsh or fish " + "(source <(crate completion bash))")
public class CompletionCommand extends CrateCommand {
    @Argument(description = "bash, zsh or fish")
    String shell;

    @Option(
            name = "list",
            description = "print names for the scripts: envs or secrets (nothing when the server cannot tell)")
    String list;

    @Override
    protected int run(Context context) {
        if (list != null) {
            names(context).forEach(context.out()::println);
            return 0;
        }
        if (shell == null) {
            throw CliException.usage("name the shell: bash, zsh or fish");
        }
        context.out()
                .print(
                        switch (shell) {
                            case "bash" -> CompletionScript.bash();
                            case "zsh" -> CompletionScript.zsh();
                            case "fish" -> CompletionScript.fish();
                            default -> throw CliException.usage("no completion for '" + shell + "': bash, zsh or fish");
                        });
        return 0;
    }

    private List<String> names(Context context) {
        try {
            return switch (list) {
                case "envs" ->
                    context.environments().list().stream()
                            .map(Environment::name)
                            .toList();
                case "secrets" ->
                    context.secrets().list(context.env(), List.of()).stream()
                            .map(SecretMetadata::name)
                            .toList();
                default -> throw CliException.usage("--list is envs or secrets");
            };
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE && e.helpHint()) {
                throw e;
            }
            return List.of();
        }
    }
}
