package dev.crate.cli.commands.orgs;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "orgs",
        description = "list and create organizations",
        groupCommands = {OrgsListCommand.class, OrgsCreateCommand.class})
public class OrgsCommand extends GroupCommand {}
