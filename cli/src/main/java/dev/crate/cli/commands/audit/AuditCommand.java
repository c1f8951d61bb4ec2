package dev.crate.cli.commands.audit;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "audit",
        description = "the organization's audit trail: list, export, verify (admins)",
        groupCommands = {AuditListCommand.class, AuditExportCommand.class, AuditVerifyCommand.class})
public class AuditCommand extends GroupCommand {}
