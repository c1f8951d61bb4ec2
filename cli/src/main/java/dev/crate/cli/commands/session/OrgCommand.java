package dev.crate.cli.commands.session;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "org",
        description = "select or show the organization",
        groupCommands = {OrgSetCommand.class, OrgShowCommand.class})
public class OrgCommand extends GroupCommand {}
