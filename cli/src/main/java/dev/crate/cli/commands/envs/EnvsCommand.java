package dev.crate.cli.commands.envs;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "envs",
        description = "list and create environments",
        groupCommands = {EnvsListCommand.class, EnvsCreateCommand.class})
public class EnvsCommand extends GroupCommand {}
