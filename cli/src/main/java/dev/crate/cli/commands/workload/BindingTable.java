package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.output.Table;
import java.util.ArrayList;
import java.util.List;

/** Bindings as a table for people: who may log in (issuer, audience, rules) and what they get (scope, lifetime). */
final class BindingTable {
    private BindingTable() {}

    static Table of(List<JsonNode> bindings) {
        Table table = new Table("ID", "NAME", "ISSUER", "AUDIENCE", "SUBJECT", "CLAIMS", "SCOPE", "TTL");
        for (JsonNode b : bindings) {
            table.row(
                    text(b, "id"),
                    text(b, "name"),
                    text(b, "issuer"),
                    text(b, "audience"),
                    text(b, "subject"),
                    claims(b.path("claims")),
                    scope(b),
                    b.hasNonNull("token_ttl_seconds")
                            ? duration(b.get("token_ttl_seconds").asLong())
                            : "");
        }
        return table;
    }

    static String claims(JsonNode claims) {
        List<String> rules = new ArrayList<>();
        claims.fields()
                .forEachRemaining(e -> rules.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", rules);
    }

    /** {@code member dev:read env=dev tags=backend read-only}. */
    static String scope(JsonNode b) {
        List<String> parts = new ArrayList<>();
        if (b.hasNonNull("role")) {
            parts.add(b.get("role").asText());
        }
        List<String> grants = new ArrayList<>();
        b.path("grants").fields().forEachRemaining(e -> {
            List<String> permissions = new ArrayList<>();
            e.getValue().forEach(p -> permissions.add(p.asText()));
            grants.add(e.getKey() + ":" + String.join("+", permissions));
        });
        if (!grants.isEmpty()) {
            parts.add(String.join(",", grants));
        }
        if (b.path("environments").isArray() && !b.path("environments").isEmpty()) {
            parts.add("env=" + join(b.get("environments")));
        }
        if (b.path("tags").isArray() && !b.path("tags").isEmpty()) {
            parts.add("tags=" + join(b.get("tags")));
        }
        if (b.path("read_only").asBoolean(false)) {
            parts.add("read-only");
        }
        return String.join(" ", parts);
    }

    static String duration(long seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
