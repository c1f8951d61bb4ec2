package dev.crate.cli.session;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI takes from the process it runs in: environment variables, working directory and
 * standard streams. Headless tests swap it for a fake one.
 */
public record Host(Map<String, String> env, Path cwd, PrintStream out, PrintStream err, InputStream in) {
    private static volatile Host current = system();

    public static Host system() {
        return new Host(System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err, System.in);
    }

    public static Host current() {
        return current;
    }

    public static void use(Host host) {
        current = host;
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
