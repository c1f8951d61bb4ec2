package dev.crate.cli.commands;

import org.aesh.command.Command;
import org.aesh.command.CommandResult;
import org.aesh.command.invocation.CommandInvocation;
import org.aesh.command.option.Option;

/** A noun without a verb: names its verbs in one line and answers a usage error; with {@code --help}, its help. */
public abstract class GroupCommand implements Command<CommandInvocation> {
    /** Only for the shell (see {@link CrateCommand}): {@code secrets --help} there. */
    @Option(name = "help", shortName = 'h', hasValue = false, overrideRequired = true, description = "show this help")
    protected boolean help;

    @Override
    public CommandResult execute(CommandInvocation invocation) {
        CommandTree tree = CommandTree.find(getClass()).orElse(CommandTree.root());
        if (help) {
            return CommandResult.valueOf(Help.print(tree));
        }
        return CommandResult.valueOf(Usage.print(
                "'" + tree.path() + "' needs a command: "
                        + String.join(
                                ", ",
                                tree.children().stream().map(CommandTree::name).toList()),
                tree));
    }
}
