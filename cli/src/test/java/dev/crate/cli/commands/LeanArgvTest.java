package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.cli.Main;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lean path takes only plain command lines, and answers them as the full command line does. */
class LeanArgvTest {
    @TempDir
    Path home;

    @Test
    void takesPlainRunListAndFetchWithOptionsWhereverTheFullLineAcceptsThem() {
        for (String line : List.of(
                "run -- true",
                "run --env dev --tags a,b -q --preserve-env -- env -0",
                "--server http://127.0.0.1:1 run --command true",
                "run --require-secrets --fail-if-empty --allow-dangerous --names=A,B -- true --help",
                "secrets list",
                "--org acme secrets --env prod list -o json --tags x",
                "secrets fetch --format=yaml --names A",
                "secrets fetch -o json --env dev")) {
            assertTrue(LeanArgv.parse(line.split(" ")).isPresent(), line);
        }
    }

    @Test
    void leavesEverythingElseToTheFullCommandLine() {
        for (String line : List.of(
                "run --help -- true",
                "run -h -- true",
                "run --bogus -- true",
                "run --watch -- true",
                "run --watch --watch-signal SIGHUP --env-file .env -- true",
                "run --env-file .env -- true",
                "agent --out f.env",
                "run true",
                "run --",
                "run -q=true -- true",
                "run --tags -- true",
                "secrets list --tags",
                "secrets list --tags a --tags b",
                "secrets list extra",
                "secrets list -q",
                "secrets list -o xml",
                "secrets fetch --format xml",
                "secrets fetch --tags=",
                "--quiet run -- true",
                "secrets get A",
                "secrets",
                "help run",
                "shell",
                "login")) {
            assertFalse(LeanArgv.parse(line.split(" ")).isPresent(), line);
        }
    }

    @Test
    void leavesValuesWithBlanksOrQuotesToTheFullCommandLine() {
        assertFalse(LeanArgv.parse("secrets", "list", "--tags", "a b").isPresent());
        assertFalse(LeanArgv.parse("secrets", "list", "--tags", "'a'").isPresent());
    }

    @Test
    void answersAsTheFullCommandLineDoes() {
        Map<String, String> env = Map.of(
                "XDG_CONFIG_HOME", home.resolve("config").toString(),
                "CRATE_TOKEN", "t",
                "CRATE_ORG", "00000000-0000-0000-0000-000000000000",
                "CRATE_SERVER", "http://127.0.0.1:1");
        for (String line : List.of(
                "run -- true",
                "run -q --names A,B -- true",
                "run --command true -- true",
                "--env BAD_ENV run -- true",
                "secrets list",
                "secrets --env prod list -o json",
                "secrets fetch --format json",
                "secrets fetch --names A --env=dev")) {
            String[] args = line.split(" ");
            assertTrue(LeanArgv.parse(args).isPresent(), line);
            assertEquals(
                    Headless.run(Main::executeFull, env, home, args),
                    Headless.run(Main::execute, env, home, args),
                    line);
        }
    }

    @Test
    void readsTheSessionAndStoredLoginWithoutJacksonAsTheFullCommandLineDoes() throws Exception {
        Path config = home.resolve("config/crate");
        java.nio.file.Files.createDirectories(config);
        // written as `crate login` writes them (Jackson, pretty-printed), with a field a newer CLI might add
        dev.crate.cli.session.ConfigDir dir = new dev.crate.cli.session.ConfigDir(config);
        new dev.crate.cli.session.SessionConfig(dir).setServer("http://127.0.0.1:1");
        new dev.crate.cli.session.SessionConfig(dir).setOrg("00000000-0000-0000-0000-000000000000", "acme");
        new dev.crate.cli.session.TokenStore(dir)
                .put(
                        "http://127.0.0.1:1",
                        new dev.crate.cli.session.StoredToken(
                                "oidc",
                                "t",
                                "r",
                                java.time.Instant.parse("2999-01-01T00:00:00.5Z"),
                                "u",
                                "c",
                                null,
                                null));
        Map<String, String> env =
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString());
        for (String line : List.of("run -- true", "secrets list", "secrets fetch")) {
            String[] args = line.split(" ");
            Headless.Result lean = Headless.run(Main::execute, env, home, args);
            assertEquals(Headless.run(Main::executeFull, env, home, args), lean, line);
            assertTrue(lean.err().contains("cannot reach the Crate server at http://127.0.0.1:1"), lean.err());
        }
        assertEquals(
                java.util.Optional.of(java.time.Instant.parse("2999-01-01T00:00:00.5Z")),
                new dev.crate.cli.session.TokenStore(dir)
                        .get("http://127.0.0.1:1")
                        .map(t -> t.expiresAt()));

        java.nio.file.Files.writeString(config.resolve("config.json"), "{\"server\": ");
        Headless.Result broken = Headless.run(Main::execute, env, home, "secrets", "list");
        assertEquals(Headless.run(Main::executeFull, env, home, "secrets", "list"), broken);
        assertTrue(broken.err().contains("config.json is not valid JSON; fix or delete it"), broken.err());
    }
}
