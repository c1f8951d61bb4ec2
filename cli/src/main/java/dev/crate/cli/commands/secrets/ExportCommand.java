package dev.crate.cli.commands.secrets;

import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.live.AtomicFile;
import dev.crate.cli.output.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "export", description = "write every secret of an environment as dotenv, json or yaml")
public class ExportCommand extends CrateCommand {
    @Option(
            name = "format",
            description = "dotenv (default), json or yaml",
            allowedValues = {"dotenv", "json", "yaml"})
    String format;

    @Option(name = "tags", description = "only secrets carrying all these comma-separated tags")
    String tags;

    @Option(name = "file", description = "write to this file (a new 0600 file renamed over it) instead of stdout")
    String file;

    @Override
    protected int run(Context context) {
        String chosen = SecretValues.format(format, output);
        SecretFile.Kind kind = chosen == null && file != null ? SecretFile.kindOfFile(file) : SecretFile.kind(chosen);
        Map<String, String> values = new LinkedHashMap<>();
        context.secrets()
                .retrieve(context.env(), null, Lists.split(tags))
                .secrets()
                .forEach(s -> values.put(s.name(), s.value()));
        String text = SecretFile.write(values, kind);
        if (file == null) {
            context.out().print(text);
            context.out().flush();
        } else {
            write(Path.of(file), text);
            context.err().println("exported " + values.size() + " secrets of " + context.env() + " to " + file);
        }
        return 0;
    }

    /**
     * A new 0600 file in the target's directory, synced and renamed over it, the directory synced: an existing file
     * (perhaps world-readable) is replaced, never written into, so its mode and owner do not carry over.
     */
    private static void write(Path path, String text) {
        try {
            AtomicFile.write(path, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("cannot write " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
