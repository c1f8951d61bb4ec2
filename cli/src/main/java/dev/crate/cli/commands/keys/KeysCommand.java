package dev.crate.cli.commands.keys;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "keys",
        description = "the organization's encryption keys: status and rotation (admins)",
        groupCommands = {KeysStatusCommand.class, KeysRotateCommand.class})
public class KeysCommand extends GroupCommand {}
