package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "secrets",
        description = "store, read, list, delete, fetch, import and export secrets; history and rollback",
        groupCommands = {
            SetCommand.class,
            GetCommand.class,
            ListCommand.class,
            DeleteCommand.class,
            FetchCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            HistoryCommand.class,
            RollbackCommand.class
        })
public class SecretsCommand extends GroupCommand {}
