package dev.crate.cli.commands.audit;

import dev.crate.cli.client.AuditClient;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.AuditEvent;
import dev.crate.protocol.wire.AuditEventList;
import java.util.Objects;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "list", description = "audit records, newest first (--env filters by environment)")
public class AuditListCommand extends CrateCommand {
    @Option(name = "from", description = "from this time on (ISO-8601 time or date)")
    String from;

    @Option(name = "to", description = "before this time (ISO-8601 time or date)")
    String to;

    @Option(name = "actor", description = "user id or email, API key id or name")
    String actor;

    @Option(name = "action", description = "an action (secret.read) or a family (secret.)")
    String action;

    @Option(name = "limit", description = "at most this many records (default 50)", defaultValue = "50")
    int limit;

    @Override
    protected int run(Context context) {
        if (limit < 1) {
            throw CliException.usage("--limit is at least 1");
        }
        AuditEventList events = new AuditEventList(
                context.audit().list(new AuditClient.Filter(from, to, actor, action, env), limit), null);
        Table table = new Table("SEQ", "TIME", "ACTOR", "ACTION", "ENV", "NAME", "VERSION", "OUTCOME", "IP");
        for (AuditEvent e : events.events()) {
            table.row(
                    e.seq(),
                    e.occurredAt(),
                    e.actorName() != null ? e.actorName() : Objects.toString(e.actorId(), ""),
                    e.action(),
                    Objects.toString(e.environment(), ""),
                    Objects.toString(e.name(), ""),
                    Objects.toString(e.version(), ""),
                    e.outcome() + (e.reason() != null ? " (" + e.reason() + ")" : ""),
                    Objects.toString(e.clientIp(), ""));
        }
        context.printer().print(events, table);
        return 0;
    }
}
