package dev.crate.cli.commands.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "verify", description = "check the audit trail's hash chain; exit 1 and the first broken link when it does not hold")
public class AuditVerifyCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        JsonNode result = context.client().get(context.orgPath() + "/audit/verify");
        boolean intact = result.path("intact").asBoolean();
        if (context.format() != Format.TABLE) {
            context.printer().print(result, new Table("INTACT"));
        } else if (intact) {
            context.out().println("intact: " + result.path("checked").asLong() + " records verified from seq "
                    + (result.path("anchor_seq").asLong() + 1) + " to " + result.path("last_seq").asLong()
                    + " (last hash " + result.path("last_hash").asText() + ")");
        } else {
            JsonNode broken = result.path("first_broken");
            context.out().println("BROKEN at seq " + broken.path("seq").asLong() + ": " + broken.path("reason").asText()
                    + (broken.hasNonNull("id") ? " (record " + broken.path("id").asText() + ")" : "")
                    + "; " + result.path("checked").asLong() + " records verified before it");
        }
        return intact ? 0 : CliException.FAILURE;
    }
}
