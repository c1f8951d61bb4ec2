package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code run --watch}, {@code --watch-signal}, {@code --env-file} and {@code agent} refuse bad options. */
class LiveOptionsTest {
    private static final String ORG = "00000000-0000-0000-0000-000000000000";

    @TempDir
    Path home;

    private Headless.Result run(String... args) {
        return Headless.run(
                Map.of(
                        "XDG_CONFIG_HOME",
                        home.resolve("config").toString(),
                        "CRATE_TOKEN",
                        "t",
                        "CRATE_ORG",
                        ORG,
                        "CRATE_SERVER",
                        "http://127.0.0.1:1"),
                home,
                args);
    }

    @Test
    void watchSignalNeedsWatchAndAnEnvFile() {
        Headless.Result noWatch = run("run", "--watch-signal", "SIGHUP", "--", "true");
        assertEquals(2, noWatch.exit());
        assertTrue(noWatch.err().contains("--watch-signal needs --watch"), noWatch.err());
        Headless.Result noFile = run("run", "--watch", "--watch-signal", "SIGHUP", "--", "true");
        assertEquals(2, noFile.exit());
        assertTrue(noFile.err().contains("needs --env-file"), noFile.err());
    }

    @Test
    void anUnknownSignalIsAUsageError() {
        Headless.Result bogus = run("run", "--watch", "--watch-signal", "SIGBOGUS", "--env-file", "e", "--", "true");
        assertEquals(2, bogus.exit());
        assertTrue(bogus.err().contains("unknown signal 'SIGBOGUS'"), bogus.err());
    }

    @Test
    void watchWithAnUnreachableServerFailsBeforeTheChildStarts() {
        Path started = home.resolve("started");
        Headless.Result r = run("run", "--watch", "--", "touch", started.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot reach"), r.err());
        assertFalse(Files.exists(started));
    }

    @Test
    void agentNeedsOut() {
        Headless.Result r = run("agent");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--out FILE is required"), r.err());
    }

    @Test
    void agentRefusesAnUnknownFormat() {
        assertEquals(
                2,
                run("agent", "--out", home.resolve("s.env").toString(), "--format", "xml")
                        .exit());
    }

    @Test
    void agentRefusesADirectoryItCannotWriteBeforeContactingTheServer() {
        Headless.Result r = run("agent", "--out", home.resolve("missing/s.env").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot write"), r.err());
    }
}
