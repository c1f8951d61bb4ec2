package dev.crate.cli.commands.apikeys;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "api-keys",
        description = "machine credentials of the organization",
        groupCommands = {ApiKeysCreateCommand.class, ApiKeysListCommand.class, ApiKeysRevokeCommand.class})
public class ApiKeysCommand extends GroupCommand {}
