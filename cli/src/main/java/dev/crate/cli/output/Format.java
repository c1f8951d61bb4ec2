package dev.crate.cli.output;

import dev.crate.cli.client.CliException;
import java.util.Locale;

/** How data is printed: human tables by default, or JSON / YAML for scripts. */
public enum Format {
    TABLE,
    JSON,
    YAML;

    public static Format parse(String value) {
        if (value == null || value.isBlank()) {
            return TABLE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("unknown --output '" + value + "': use table, json or yaml");
        }
    }
}
