package dev.crate.cli.commands.members;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "members",
        description = "people in the organization, their roles and grants",
        groupCommands = {
            MembersListCommand.class,
            MembersAddCommand.class,
            MembersSetCommand.class,
            MembersRemoveCommand.class
        })
public class MembersCommand extends GroupCommand {}
