package dev.crate.cli.commands.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crate.cli.client.Json;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
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
        String base = context.orgPath() + "/audit" + AuditFilters.query(from, to, actor, action, env);
        ArrayNode events = Json.MAPPER.createArrayNode();
        String cursor = null;
        do {
            String path = AuditFilters.and(base, "limit", Integer.toString(Math.min(1000, limit - events.size())));
            JsonNode page = context.client().get(cursor == null ? path : AuditFilters.and(path, "cursor", cursor));
            page.path("events").forEach(events::add);
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null && events.size() < limit);
        Table table = new Table("SEQ", "TIME", "ACTOR", "ACTION", "ENV", "NAME", "VERSION", "OUTCOME", "IP");
        for (JsonNode e : events) {
            String actorText = e.path("actor_name").asText(e.path("actor_id").asText(""));
            table.row(e.path("seq").asLong(), e.path("occurred_at").asText(), actorText, e.path("action").asText(),
                    e.path("environment").asText(""), e.path("name").asText(""), e.path("version").asText(""),
                    e.path("outcome").asText() + (e.hasNonNull("reason") ? " (" + e.path("reason").asText() + ")" : ""),
                    e.path("client_ip").asText(""));
        }
        context.printer().print(Json.MAPPER.createObjectNode().set("events", events), table);
        return 0;
    }
}
