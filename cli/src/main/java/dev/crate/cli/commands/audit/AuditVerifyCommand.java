package dev.crate.cli.commands.audit;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.AuditChainBreak;
import dev.crate.protocol.wire.AuditVerification;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "verify",
        description = "check the audit trail's hash chain; exit 1 and the first broken link when it does not hold")
public class AuditVerifyCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        AuditVerification result = context.audit().verify();
        if (context.format() != Format.TABLE) {
            context.printer().print(result, new Table("INTACT"));
        } else if (result.intact()) {
            context.out()
                    .println("intact: " + result.checked() + " records verified from seq " + (result.anchorSeq() + 1)
                            + " to " + result.lastSeq() + " (last hash " + result.lastHash() + ")");
        } else {
            AuditChainBreak broken = result.firstBroken();
            context.out()
                    .println("BROKEN at seq " + broken.seq() + ": " + broken.reason()
                            + (broken.id() != null ? " (record " + broken.id() + ")" : "") + "; " + result.checked()
                            + " records verified before it");
        }
        return result.intact() ? 0 : CliException.FAILURE;
    }
}
