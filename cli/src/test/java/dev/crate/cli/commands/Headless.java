package dev.crate.cli.commands;

import dev.crate.cli.Main;
import dev.crate.cli.session.Host;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToIntFunction;

/** Runs one command in this JVM against a fake host: given environment, directory and stdin; captured output. */
final class Headless {
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Headless() {}

    static Result run(Map<String, String> env, Path cwd, String... args) {
        return run(Main::execute, env, cwd, args);
    }

    /** The same through another entry point ({@code Main::executeFull}: without the lean path). */
    static Result run(ToIntFunction<String[]> main, Map<String, String> env, Path cwd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Host previous = Host.current();
        PrintStream realOut = System.out;
        PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        Host.use(new Host(
                env,
                cwd,
                capturedOut,
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0])));
        System.setOut(capturedOut);
        try {
            int exit = main.applyAsInt(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(realOut);
            Host.use(previous);
        }
    }
}
