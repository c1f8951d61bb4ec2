package dev.crate.cli.commands.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import dev.crate.cli.commands.Grants;
import dev.crate.cli.commands.Lists;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON body of a workload identity binding from command-line flags (docs/API.md, workload identities): only
 * the fields given, so that an update changes nothing else. Scope fields are those of {@code crate api-keys create}.
 */
public record BindingBody(
        String name,
        String issuer,
        String audience,
        String subject,
        List<String> claims,
        String role,
        String grants,
        String environments,
        String tags,
        Boolean readOnly,
        String ttl) {

    /** The server's shortest and longest token lifetimes: a minute, 12 hours (docs/API.md, section 14). */
    static final long MIN_TTL_SECONDS = 60;

    static final long MAX_TTL_SECONDS = 43_200;

    private static final Pattern DURATION = Pattern.compile("(\\d+)([hms])");

    public ObjectNode toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        put(body, "name", name);
        put(body, "issuer", issuer);
        put(body, "audience", audience);
        put(body, "subject", subject);
        if (claims != null && !claims.isEmpty()) {
            ObjectNode rules = body.putObject("claims");
            claims(claims).forEach(rules::put);
        }
        put(body, "role", role);
        if (grants != null) {
            ObjectNode byEnv = body.putObject("grants");
            Grants.parse(grants).forEach((env, permissions) -> {
                ArrayNode list = byEnv.putArray(env);
                permissions.forEach(list::add);
            });
        }
        list(body, "environments", environments);
        list(body, "tags", tags);
        if (readOnly != null) {
            body.put("read_only", readOnly);
        }
        if (ttl != null) {
            body.put("token_ttl_seconds", (int) ttlSeconds(ttl));
        }
        return body;
    }

    /** {@code --claim repository=acme/api --claim ref=refs/heads/*}: name, then the exact value or glob. */
    static Map<String, String> claims(List<String> given) {
        Map<String, String> rules = new LinkedHashMap<>();
        for (String rule : given) {
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.length() - 1) {
                throw CliException.usage("a claim rule looks like NAME=VALUE, such as --claim repository=acme/api"
                        + " or --claim kubernetes.io/namespace=payments (values may use * globs)");
            }
            String name = rule.substring(0, eq).trim();
            if (rules.put(name, rule.substring(eq + 1)) != null) {
                throw CliException.usage("claim '" + name + "' is given twice: a binding holds one rule per claim");
            }
        }
        return rules;
    }

    /** {@code 900}, {@code 900s}, {@code 15m}, {@code 1h30m}, {@code 12h}: seconds, from 1 minute to 12 hours. */
    static long ttlSeconds(String ttl) {
        String value = ttl.trim().toLowerCase(java.util.Locale.ROOT);
        long seconds;
        if (value.matches("\\d{1,9}")) {
            seconds = Long.parseLong(value);
        } else {
            Matcher m = DURATION.matcher(value);
            seconds = 0;
            int at = 0;
            while (m.find() && m.start() == at) {
                long n = Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1));
                seconds += n * (m.group(2).equals("h") ? 3600 : m.group(2).equals("m") ? 60 : 1);
                at = m.end();
            }
            if (at == 0 || at != value.length()) {
                throw CliException.usage("--ttl wants seconds or a duration such as 900, 15m, 1h30m or 12h");
            }
        }
        if (seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
            throw CliException.usage("--ttl must be from 1m (60 seconds) to 12h (43200 seconds)");
        }
        return seconds;
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static void list(ObjectNode body, String field, String value) {
        if (value != null) {
            ArrayNode array = body.putArray(field);
            Lists.split(value).forEach(array::add);
        }
    }
}
