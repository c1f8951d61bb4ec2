package dev.crate.cli.commands;

import dev.crate.cli.session.Host;
import org.aesh.command.Command;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;

/** A noun without a verb: shows its verbs and answers a usage error. */
public abstract class GroupCommand implements Command<CommandInvocation> {
    @Override
    public CommandResult execute(CommandInvocation invocation) {
        Host.current().err().println(invocation.getHelpInfo());
        return CommandResult.valueOf(2);
    }
}
