package dev.crate.cli.commands.run;

import dev.crate.cli.client.CliException;
import dev.crate.cli.live.AtomicFile;
import dev.crate.cli.output.Dotenv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** {@code crate run --env-file}: the secrets as a {@code .env} file, mode 0600, replaced atomically. */
final class EnvFile {
    private EnvFile() {}

    static void write(String file, Map<String, String> secrets) {
        try {
            AtomicFile.write(Path.of(file), Dotenv.write(secrets).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot write " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
