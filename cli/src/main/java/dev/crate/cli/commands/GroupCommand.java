package dev.crate.cli.commands;

import org.aesh.command.Command;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;

/** A noun without a verb: names its verbs in one line and answers a usage error. */
public abstract class GroupCommand implements Command<CommandInvocation> {
    @Override
    public CommandResult execute(CommandInvocation invocation) {
        CommandTree tree = CommandTree.find(getClass()).orElse(CommandTree.root());
        return CommandResult.valueOf(Usage.print(
                "'" + tree.path() + "' needs a command: "
                        + String.join(
                                ", ",
                                tree.children().stream().map(CommandTree::name).toList()),
                tree));
    }
}
