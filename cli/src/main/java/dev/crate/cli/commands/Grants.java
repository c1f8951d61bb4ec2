package dev.crate.cli.commands;

import dev.crate.cli.client.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --grants dev:read+write,prod:read} → {@code {"dev":["read","write"],"prod":["read"]}}. */
public final class Grants {
    private Grants() {}

    public static Map<String, List<String>> parse(String value) {
        Map<String, List<String>> grants = new LinkedHashMap<>();
        for (String item : Lists.split(value)) {
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw CliException.usage("grants look like dev:read+write,prod:read");
            }
            List<String> permissions = new ArrayList<>();
            for (String p : item.substring(colon + 1).split("\\+")) {
                if (!p.equals("read") && !p.equals("write")) {
                    throw CliException.usage("a grant is read or write, not '" + p + "'");
                }
                permissions.add(p);
            }
            grants.put(item.substring(0, colon), permissions);
        }
        return grants;
    }

    /** {@code {"dev":["read","write"]}} → {@code dev:read+write} for tables. */
    public static String format(Map<String, List<String>> grants) {
        List<String> parts = new ArrayList<>();
        if (grants != null) {
            grants.forEach((env, permissions) -> parts.add(env + ":" + String.join("+", permissions)));
        }
        return String.join(",", parts);
    }
}
