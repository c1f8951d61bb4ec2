package dev.crate.cli;

import dev.crate.cli.session.Host;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workload that {@code bin/crate} records once per jar into an AOT cache (Java 25) or AppCDS
 * archive (Java 17): the commands people run most ({@code run}, {@code secrets list}, {@code fetch}),
 * each through its real path (the lean path's parsing, settings, JSON, the HTTP exchange, the temporary
 * key and opening the sealed answer, starting a child) against {@link TrainingServer} on loopback, plus an
 * unreachable server. Nothing here touches the user's configuration or a real server.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        exercise(quiet);
    }

    /**
     * Runs the workload and answers the exit code of each command that should succeed (a failing one
     * still trains its classes, so the launcher keeps the archive either way; tests look at them).
     */
    static Map<String, Integer> exercise(PrintStream quiet) throws Exception {
        Map<String, Integer> codes = new LinkedHashMap<>();
        Path home = Files.createTempDirectory("crate-training");
        try (TrainingServer server = new TrainingServer()) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.keySet().removeIf(name -> name.startsWith("CRATE_"));
            env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
            env.put("CRATE_SERVER", server.url());
            env.put("CRATE_TOKEN", "crate_training");
            env.put("CRATE_ORG", TrainingServer.ORG);
            Host.use(new Host(env, home, quiet, quiet, new ByteArrayInputStream(new byte[0])));
            for (int round = 0; round < 2; round++) {
                run(codes, "run", "--", "true");
                run(codes, "run", "--env", "dev", "--tags", "backend", "--", "true");
                run(codes, "secrets", "list");
                run(codes, "secrets", "fetch", "--env", "dev");
            }
            // Only the lean path, which people run most: with Java 25's AOT class linking every class in the
            // cache is loaded at every start, so a help page (the whole command tree, Aesh) or -o json
            // (Jackson, ~700 classes) trained here would cost every `crate run` more than it saves them.
            env.put("CRATE_SERVER", "http://127.0.0.1:1");
            Main.execute("secrets", "list");
        } finally {
            Host.use(Host.system());
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
        return codes;
    }

    private static void run(Map<String, Integer> codes, String... args) {
        codes.merge(String.join(" ", args), Main.execute(args), Math::max);
    }
}
