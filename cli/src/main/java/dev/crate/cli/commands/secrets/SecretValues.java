package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.run.DangerousNames;
import dev.crate.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Checks a name and value before anything is sealed; messages never echo the value. */
final class SecretValues {
    private SecretValues() {}

    static void checkName(String name) {
        if (!Limits.SECRET_NAME.matcher(name).matches()) {
            throw CliException.usage("invalid secret name '" + name
                    + "': letters, digits and '_', not starting with a digit, " + "at most 128");
        }
    }

    /** A name {@code crate run} refuses is worth knowing about when it is stored, not when a deploy fails. */
    static void warnIfDangerous(Context context, Collection<String> names) {
        List<String> dangerous = DangerousNames.among(names);
        if (!dangerous.isEmpty()) {
            context.err()
                    .println("crate: warning: 'crate run' refuses to inject " + String.join(", ", dangerous)
                            + " (such variables can make the child run other code) unless given --allow-dangerous");
        }
    }

    /** {@code --format}, or {@code -o json|yaml} as its synonym; {@code -o table} means nothing for values. */
    static String format(String format, String output) {
        if (output == null) {
            return format;
        }
        if (format != null && !format.equals(output)) {
            throw CliException.usage("give --format or -o, not both");
        }
        if (output.equals("table")) {
            throw CliException.usage("values print as dotenv, json or yaml, not a table: use --format or -o json|yaml");
        }
        return output;
    }

    static void checkValue(String name, String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            throw CliException.usage(name + ": the value is empty");
        }
        if (bytes > Limits.MAX_VALUE_BYTES) {
            throw CliException.usage(name + ": the value has " + bytes + " bytes; at most " + Limits.MAX_VALUE_BYTES);
        }
    }
}
