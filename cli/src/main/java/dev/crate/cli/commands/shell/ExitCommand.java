package dev.crate.cli.commands.shell;

import org.aesh.command.Command;
import org.aesh.command.CommandDefinition;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;

/**
 * Leaves {@code crate shell}. Aesh's console stops (and writes its history) but its terminal reader
 * stays blocked until the next keystroke, so the process is ended here; the shutdown hook then
 * cleans the history file.
 */
@CommandDefinition(
        name = "exit",
        aliases = {"quit"},
        description = "leave the shell")
public class ExitCommand implements Command<CommandInvocation> {
    @Override
    public CommandResult execute(CommandInvocation invocation) {
        invocation.stop();
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(0);
        });
        exit.setDaemon(true);
        exit.start();
        return CommandResult.SUCCESS;
    }
}
