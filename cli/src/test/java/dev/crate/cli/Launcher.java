package dev.crate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/crate} as a subprocess, as a user would, with its own config directory. */
final class Launcher {
    static final Path SCRIPT = Path.of("..", "bin", "crate").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "crate-cli.jar").toAbsolutePath();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final Path home;
    final Map<String, String> env = new HashMap<>();

    Launcher(Path home) {
        this.home = home;
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("CRATE_CLI_JAR", JAR.toString());
        env.put("CRATE_NO_CDS", "1");
    }

    ProcessBuilder builder(Map<String, String> extra, String... args) {
        return raw(command(args), extra);
    }

    /** {@code crate shell} on a pseudo-terminal, through util-linux {@code script}, as a person would use it. */
    ProcessBuilder shellOnTerminal() {
        return raw(List.of("script", "-qfc", SCRIPT + " shell", "/dev/null"), Map.of());
    }

    private ProcessBuilder raw(List<String> command, Map<String, String> extra) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("CRATE_") || k.startsWith("XDG_"));
        environment.putAll(env);
        environment.putAll(extra);
        return builder;
    }

    private static List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        return command;
    }

    Result run(String... args) throws Exception {
        return run(Map.of(), null, args);
    }

    Result run(Map<String, String> extra, String stdin, String... args) throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder =
                builder(extra, args).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closedEarly) {
            // the command did not read its stdin
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("crate " + String.join(" ", args) + " did not finish");
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
