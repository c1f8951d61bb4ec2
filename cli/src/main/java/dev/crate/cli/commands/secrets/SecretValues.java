package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.protocol.Limits;
import java.nio.charset.StandardCharsets;

/** Checks a name and value before anything is sealed; messages never echo the value. */
final class SecretValues {
    private SecretValues() {
    }

    static void checkName(String name) {
        if (!Limits.SECRET_NAME.matcher(name).matches()) {
            throw CliException.usage("invalid secret name '" + name + "': letters, digits and '_', not starting with a digit, "
                    + "at most 128");
        }
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
