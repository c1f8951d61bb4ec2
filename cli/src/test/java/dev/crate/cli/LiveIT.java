package dev.crate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.Json;
import dev.crate.cli.output.Dotenv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code crate run --watch} and {@code crate agent} against the packaged server's event stream
 * ({@code GET /organization/{id}/secrets/events}, docs/API.md). Values are compared in the test, never put in
 * an assertion message, and must not show up on the CLI's stdout or stderr.
 */
class LiveIT {
    private static final String CANARY = "canary-live-";

    private static CrateServer server;
    private static Launcher crate;

    @BeforeAll
    static void start() throws Exception {
        server = CrateServer.start();
        crate = new Launcher(Files.createTempDirectory("crate-cli-live-home"));
        crate.env.put("CRATE_SERVER", server.url);
        crate.env.put("CRATE_WATCH_DEBOUNCE_MS", "1500");
        crate.env.put("CRATE_WATCH_GRACE_MS", "5000");
        Launcher.Result login = crate.run(Map.of(), server.adminKey + "\n", "login", "--token");
        assertEquals(0, login.exit(), login.all());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A command started in the background, its output in files. */
    private record Background(Process process, Path out, Path err) {
        String output() throws IOException {
            return Files.readString(out) + Files.readString(err);
        }

        /** SIGTERM, as a supervisor sends it; answers the exit code. */
        int terminate() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("did not stop on SIGTERM: " + output());
            }
            return process.exitValue();
        }
    }

    private static Background background(Path dir, String... args) throws IOException {
        Path out = dir.resolve("crate.out");
        Path err = dir.resolve("crate.err");
        Process process = crate.builder(Map.of(), args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new Background(process, out, err);
    }

    private static void set(String... pairs) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("secrets", "set"));
        args.addAll(List.of(pairs));
        Launcher.Result set = crate.run(args.toArray(String[]::new));
        assertEquals(0, set.exit(), set.err());
    }

    private static void await(String what, BooleanSupplier condition, Background running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !running.process().isAlive()) {
                throw new AssertionError("gave up waiting for " + what + "; crate said: " + running.output());
            }
            Thread.sleep(100);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException none) {
            return "";
        }
    }

    private static void assertNoCanary(String output) {
        assertFalse(output.contains(CANARY), "a value leaked to the CLI's output");
    }

    @Test
    void runWatchRestartsTheChildOnceForABurstOfChangesAndPassesTheNewValue() throws Exception {
        set("WATCH_A=" + CANARY + "a1", "WATCH_B=" + CANARY + "b1", "WATCH_C=" + CANARY + "c1");
        Path dir = Files.createTempDirectory(crate.home, "watch");
        Path starts = dir.resolve("starts");
        Path seen = dir.resolve("seen");
        // each start writes the value to a file only the test reads, then adds a line to starts
        String child = "printf %s \"$WATCH_A\" > '" + seen + ".tmp'; mv '" + seen + ".tmp' '" + seen
                + "'; echo start >> '" + starts + "'; exec sleep 600";
        Background run =
                background(dir, "run", "--watch", "--names", "WATCH_A,WATCH_B,WATCH_C", "--", "sh", "-c", child);
        await("the first start", () -> lines(starts).size() == 1, run);
        assertTrue((CANARY + "a1").equals(read(seen)), "the child started with the first value");

        set("WATCH_A=" + CANARY + "a2", "WATCH_B=" + CANARY + "b2", "WATCH_C=" + CANARY + "c2");
        await("the restart", () -> lines(starts).size() >= 2, run);
        Thread.sleep(4000);
        assertEquals(2, lines(starts).size(), "one restart for the burst: " + run.output());
        assertTrue((CANARY + "a2").equals(read(seen)), "the restarted child sees the new value");

        assertEquals(143, run.terminate(), "SIGTERM reaches the child, whose status crate passes on");
        String output = run.output();
        assertTrue(output.contains("WATCH_A, WATCH_B, WATCH_C changed; restarting sh"), output);
        assertNoCanary(output);
    }

    @Test
    void runWatchSignalRewritesTheEnvFileAndSignalsTheChildInsteadOfRestarting() throws Exception {
        set("SIGNAL_A=" + CANARY + "s1");
        Path dir = Files.createTempDirectory(crate.home, "signal");
        Path starts = dir.resolve("starts");
        Path hups = dir.resolve("hups");
        Path envFile = dir.resolve("app.env");
        String child =
                "trap 'echo hup >> \"" + hups + "\"' HUP; echo start >> '" + starts + "'; while :; do sleep 0.2; done";
        Background run = background(
                dir,
                "run",
                "--watch",
                "--watch-signal",
                "SIGHUP",
                "--env-file",
                envFile.toString(),
                "--names",
                "SIGNAL_A",
                "--",
                "sh",
                "-c",
                child);
        await("the first start", () -> lines(starts).size() == 1, run);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
        assertTrue((CANARY + "s1").equals(Dotenv.read(read(envFile)).get("SIGNAL_A")), "the env file at start");

        set("SIGNAL_A=" + CANARY + "s2");
        await("SIGHUP in the child", () -> !lines(hups).isEmpty(), run);
        assertTrue((CANARY + "s2").equals(Dotenv.read(read(envFile)).get("SIGNAL_A")), "the env file rewritten");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)));
        assertEquals(1, lines(starts).size(), "signalled, not restarted");

        run.terminate();
        assertNoCanary(run.output());
    }

    @Test
    void theAgentsFileIsNeverSeenHalfWrittenAndStaysOwnerReadable() throws Exception {
        String padding = "x".repeat(40_000);
        set("AGENT_A=" + CANARY + "0" + padding, "AGENT_B=" + CANARY + "b");
        Path dir = Files.createTempDirectory(crate.home, "agent");
        Path file = dir.resolve("secrets.json");
        Path execs = dir.resolve("execs");
        Background agent = background(
                dir,
                "agent",
                "--out",
                file.toString(),
                "--format",
                "json",
                "--names",
                "AGENT_A,AGENT_B",
                "--exec-on-change",
                "echo \"$CRATE_AGENT_FILE\" >> '" + execs + "'");
        await("the first render", () -> Files.exists(file), agent);

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (reading.get() && broken.get() == null) {
                try {
                    if (!"rw-------".equals(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))) {
                        broken.set("mode changed");
                    }
                    JsonNode json = Json.MAPPER.readTree(Files.readString(file));
                    if (json == null || !json.has("AGENT_A") || !json.has("AGENT_B")) {
                        broken.set("an incomplete file");
                    }
                    reads.incrementAndGet();
                } catch (IOException e) {
                    broken.set("unreadable or not JSON: " + e.getClass().getSimpleName());
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 6; i++) {
            Launcher.Result set = crate.run(Map.of(), CANARY + i + padding, "secrets", "set", "AGENT_A", "-");
            assertEquals(0, set.exit(), set.err());
        }
        String last = CANARY + 6 + padding;
        await(
                "the last value in the file",
                () -> {
                    try {
                        return last.equals(
                                Json.MAPPER.readTree(read(file)).path("AGENT_A").asText());
                    } catch (IOException e) {
                        return false;
                    }
                },
                agent);
        reading.set(false);
        reader.join();
        assertEquals(null, broken.get());
        assertTrue(reads.get() > 10, "the reader read often: " + reads.get());
        // The agent runs --exec-on-change after it renamed the file into place, so the last value can be
        // visible before the command has appended its line.
        await("--exec-on-change after a rewrite", () -> lines(execs).size() >= 2, agent);
        assertEquals(file.toString(), lines(execs).get(0), "--exec-on-change is told the file");

        assertEquals(0, agent.terminate(), "SIGTERM stops the agent cleanly");
        assertNoCanary(agent.output());
    }

    @Test
    void theAgentRefusesADirectoryThatDoesNotExist() throws Exception {
        Launcher.Result agent = crate.run(
                "agent", "--out", crate.home.resolve("missing/secrets.env").toString());
        assertEquals(1, agent.exit(), agent.all());
        assertTrue(agent.err().contains("cannot write"), agent.err());
    }

    @Test
    void theAgentRefusesACredentialTheServerRefuses() throws Exception {
        Launcher.Result agent = crate.run(
                Map.of("CRATE_TOKEN", "crate_" + "0".repeat(48), "CRATE_ORG", "00000000-0000-0000-0000-000000000000"),
                null,
                "agent",
                "--out",
                crate.home.resolve("refused.env").toString());
        assertEquals(1, agent.exit(), agent.all());
    }
}
