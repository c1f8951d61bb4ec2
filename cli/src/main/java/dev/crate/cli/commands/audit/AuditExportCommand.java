package dev.crate.cli.commands.audit;

import dev.crate.cli.client.AuditClient;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "export", description = "every audit record, oldest first, as JSON lines or CSV on stdout")
public class AuditExportCommand extends CrateCommand {
    @Option(
            name = "format",
            description = "jsonl (default) or csv",
            defaultValue = "jsonl",
            allowedValues = {"jsonl", "csv"})
    String format;

    @Option(name = "from", description = "from this time on (ISO-8601 time or date)")
    String from;

    @Option(name = "to", description = "before this time (ISO-8601 time or date)")
    String to;

    @Option(name = "actor", description = "user id or email, API key id or name")
    String actor;

    @Option(name = "action", description = "an action (secret.read) or a family (secret.)")
    String action;

    @Override
    protected int run(Context context) {
        if (output != null) {
            if (!output.equals("json") || "csv".equals(format)) {
                throw CliException.usage(
                        "the audit export is JSON lines (-o json) or CSV (--format csv); not " + output + " or both");
            }
            format = "jsonl";
        }
        if (!"jsonl".equals(format) && !"csv".equals(format)) {
            throw CliException.usage("--format is jsonl or csv");
        }
        context.audit().export(new AuditClient.Filter(from, to, actor, action, env), format, context.out());
        return 0;
    }
}
