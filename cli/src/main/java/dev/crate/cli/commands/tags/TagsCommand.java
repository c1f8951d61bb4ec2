package dev.crate.cli.commands.tags;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "tags",
        description = "the organization's tag catalog",
        groupCommands = {TagsListCommand.class})
public class TagsCommand extends GroupCommand {}
