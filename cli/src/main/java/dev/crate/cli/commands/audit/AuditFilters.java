package dev.crate.cli.commands.audit;

import dev.crate.cli.client.CrateClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** The audit trail's query parameters, as a query string. */
final class AuditFilters {
    private AuditFilters() {
    }

    static String query(String from, String to, String actor, String action, String environment) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("from", from);
        params.put("to", to);
        params.put("actor", actor);
        params.put("action", action);
        params.put("env", environment);
        StringBuilder query = new StringBuilder();
        params.forEach((key, value) -> {
            if (value != null && !value.isEmpty()) {
                query.append(query.length() == 0 ? "?" : "&").append(key).append('=').append(CrateClient.query(value));
            }
        });
        return query.toString();
    }

    static String and(String query, String key, String value) {
        return query + (query.isEmpty() ? "?" : "&") + key + "=" + CrateClient.query(value);
    }
}
