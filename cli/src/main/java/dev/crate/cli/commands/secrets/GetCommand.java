package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.SecretNameCompleter;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;
import org.aesh.command.option.Option;

@CommandDefinition(name = "get", description = "show one secret (value masked unless --plain)")
public class GetCommand extends CrateCommand {
    static final String MASK = "********";

    @Option(name = "plain", hasValue = false, description = "print the value itself")
    boolean plain;

    @Argument(description = "secret name", required = true, completer = SecretNameCompleter.class)
    String name;

    @Override
    protected int run(Context context) {
        SecretValues.checkName(name);
        RetrievedPayload payload = context.secrets().retrieve(context.env(), List.of(name), null);
        RetrievedSecret secret = payload.secrets() == null || payload.secrets().isEmpty()
                ? null
                : payload.secrets().get(0);
        if (secret == null) {
            throw new CliException("secret " + name + " not found in environment " + context.env());
        }
        if (plain && context.format() == Format.TABLE) {
            context.out().println(secret.value());
            return 0;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", secret.name());
        data.put("environment", payload.environment());
        data.put("version", secret.version());
        data.put("tags", secret.tags());
        data.put("value", plain ? secret.value() : MASK);
        context.printer()
                .print(
                        data,
                        new Table("NAME", "ENVIRONMENT", "VERSION", "TAGS", "VALUE")
                                .row(
                                        secret.name(),
                                        payload.environment(),
                                        secret.version(),
                                        String.join(",", secret.tags()),
                                        MASK));
        return 0;
    }
}
