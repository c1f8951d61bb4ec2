package dev.crate.cli.commands;

import dev.crate.cli.session.Host;
import java.util.List;
import org.aesh.command.Command;
import org.aesh.command.CommandDefinition;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;
import org.aesh.command.option.Arguments;

/** {@code help [COMMAND...]}: the help of a command, on stdout (one-shot calls are answered before Aesh; this serves the shell). */
@CommandDefinition(name = "help", description = "show the help of a command: help secrets set")
public class HelpCommand implements Command<CommandInvocation> {
    @Arguments(description = "the command, such as 'secrets set'")
    List<String> words;

    @Override
    public CommandResult execute(CommandInvocation invocation) {
        Host.current().out().print(Help.of(Argv.resolve(words == null ? List.of() : words)));
        Host.current().out().flush();
        return CommandResult.SUCCESS;
    }
}
