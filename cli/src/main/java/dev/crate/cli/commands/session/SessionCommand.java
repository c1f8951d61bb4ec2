package dev.crate.cli.commands.session;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "session",
        description = "what this CLI session works on",
        groupCommands = {OrgCommand.class})
public class SessionCommand extends GroupCommand {}
