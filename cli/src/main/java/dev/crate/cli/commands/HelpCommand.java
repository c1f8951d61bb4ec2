package dev.crate.cli.commands;

import java.util.ArrayList;
import java.util.List;
import org.aesh.command.Command;
import org.aesh.command.CommandDefinition;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;
import org.aesh.command.option.Arguments;

/**
 * {@code help [COMMAND...]}: the help of a command, on stdout (one-shot calls are answered before
 * Aesh by {@link Argv}; this serves the shell, through the same {@link Argv} so both answer alike).
 */
@CommandDefinition(name = "help", description = "show the help of a command: help secrets set")
public class HelpCommand implements Command<CommandInvocation> {
    @Arguments(description = "the command, such as 'secrets set'")
    List<String> words;

    @Override
    public CommandResult execute(CommandInvocation invocation) {
        List<String> line = new ArrayList<>();
        line.add("help");
        if (words != null) {
            line.addAll(words);
        }
        Argv.Outcome outcome = Argv.parse(line.toArray(String[]::new));
        if (outcome instanceof Argv.Usage usage) {
            return CommandResult.valueOf(Usage.print(usage.reason(), usage.command()));
        }
        return CommandResult.valueOf(Help.print(((Argv.ShowHelp) outcome).command()));
    }
}
