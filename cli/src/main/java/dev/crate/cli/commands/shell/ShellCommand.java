package dev.crate.cli.commands.shell;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.RootCommand;
import dev.crate.cli.commands.ShellState;
import dev.crate.cli.session.ShellHistory;
import java.io.IOException;
import java.nio.file.Path;
import org.aesh.AeshConsoleRunner;
import org.aesh.command.AeshCommandRuntimeBuilder;
import org.aesh.command.CommandDefinition;
import org.aesh.command.CommandRuntime;
import org.aesh.command.impl.registry.AeshCommandRegistryBuilder;
import org.aesh.command.invocation.CommandInvocation;
import org.aesh.command.registry.CommandRegistryException;
import org.aesh.command.settings.SettingsBuilder;

@CommandDefinition(
        name = "shell",
        description = "an interactive console with the same commands and completion (exit with 'exit')")
public class ShellCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        Path history = context.configDir().file("shell_history");
        try {
            context.configDir().ensureDir();
        } catch (IOException e) {
            context.err().println("crate: cannot create " + context.configDir().path() + "; history is not kept");
        }
        ShellHistory.sanitize(history);
        // Aesh writes its history when the console stops; clean it after that, however the shell ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ShellHistory.sanitize(history)));
        ShellState.enter();
        AeshConsoleRunner.builder()
                .commands(RootCommand.SHELL_COMMANDS)
                .command(ExitCommand.class)
                .settings(SettingsBuilder.builder()
                        .historyFile(history.toFile())
                        .persistHistory(true)
                        .logging(false)
                        .enableAlias(false)
                        .enableMan(false)
                        .readInputrc(false)
                        .build())
                .prompt("crate> ")
                .start();
        ShellHistory.sanitize(history);
        return 0;
    }

    /**
     * What runs one line typed into the shell: Aesh's parser over the shell's commands, as the console
     * above builds it (without its terminal), so tests can drive the shell's command handling.
     */
    public static CommandRuntime<CommandInvocation> runtime() {
        try {
            return AeshCommandRuntimeBuilder.<CommandInvocation>builder()
                    .commandRegistry(AeshCommandRegistryBuilder.<CommandInvocation>builder()
                            .commands(RootCommand.SHELL_COMMANDS)
                            .create())
                    .build();
        } catch (CommandRegistryException e) {
            throw new IllegalStateException(e);
        }
    }
}
