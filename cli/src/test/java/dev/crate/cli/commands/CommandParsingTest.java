package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandParsingTest {
    @TempDir
    Path home;

    private Map<String, String> env(String... pairs) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>();
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void environmentDefaultsToDevAndServerToLocalhost() throws IOException {
        Headless.Result r = Headless.run(env("CRATE_ORG", "acme"), home, "session", "org", "show", "--output", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode shown = Json.MAPPER.readTree(r.out());
        assertEquals("dev", shown.get("environment").asText());
        assertEquals("http://localhost:8080", shown.get("server").asText());
        assertEquals("acme", shown.get("organization").asText());
    }

    @Test
    void flagsWinOverEnvironmentVariables() throws IOException {
        Headless.Result r = Headless.run(
                env("CRATE_ENV", "staging", "CRATE_SERVER", "http://a:1"),
                home,
                "session",
                "org",
                "show",
                "--env",
                "prod",
                "--server",
                "http://b:2",
                "-o",
                "json");
        JsonNode shown = Json.MAPPER.readTree(r.out());
        assertEquals("prod", shown.get("environment").asText());
        assertEquals("http://b:2", shown.get("server").asText());
    }

    @Test
    void projectFileIsFoundInAParentDirectory() throws IOException {
        Files.writeString(home.resolve(".crate.yaml"), "org: from-project\nenv: staging\ntags: [backend, db]\n");
        Path deep = Files.createDirectories(home.resolve("a/b/c"));
        Headless.Result r = Headless.run(env(), deep, "session", "org", "show", "-o", "yaml");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("organization: \"from-project\""), r.out());
        assertTrue(r.out().contains("environment: \"staging\""), r.out());
        assertTrue(r.out().contains("- \"backend\""), r.out());
    }

    @Test
    void environmentVariableWinsOverProjectFile() throws IOException {
        Files.writeString(home.resolve(".crate.yaml"), "env: staging\n");
        Headless.Result r = Headless.run(env("CRATE_ENV", "prod"), home, "session", "org", "show", "-o", "json");
        assertEquals("prod", Json.MAPPER.readTree(r.out()).get("environment").asText());
    }

    @Test
    void tableIsTheDefaultOutput() {
        Headless.Result r = Headless.run(env("CRATE_ORG", "acme"), home, "session", "org", "show");
        assertTrue(r.out().startsWith("SETTING"), r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, Headless.run(env(), home, "secrets", "list", "--bogus").exit());
    }

    @Test
    void nounWithoutVerbIsAUsageError() {
        assertEquals(2, Headless.run(env(), home, "secrets").exit());
    }

    @Test
    void setWithoutArgumentsIsAUsageError() {
        Headless.Result r = Headless.run(
                env("CRATE_TOKEN", "t", "CRATE_ORG", "00000000-0000-0000-0000-000000000000"), home, "secrets", "set");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("crate: usage"), r.err());
    }

    @Test
    void invalidSecretNameIsAUsageErrorBeforeAnyNetwork() {
        Headless.Result r = Headless.run(
                env(
                        "CRATE_TOKEN",
                        "t",
                        "CRATE_ORG",
                        "00000000-0000-0000-0000-000000000000",
                        "CRATE_SERVER",
                        "http://127.0.0.1:1"),
                home,
                "secrets",
                "set",
                "1BAD",
                "value");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("invalid secret name"), r.err());
    }

    @Test
    void runWithoutCommandIsAUsageError() {
        assertEquals(
                2,
                Headless.run(env("CRATE_TOKEN", "t", "CRATE_ORG", "00000000-0000-0000-0000-000000000000"), home, "run")
                        .exit());
    }

    @Test
    void invalidOutputFormatIsAUsageError() {
        assertEquals(
                2,
                Headless.run(env("CRATE_ORG", "acme"), home, "session", "org", "show", "-o", "xml")
                        .exit());
    }

    @Test
    void missingOrganizationSaysHowToChooseOne() {
        Headless.Result r = Headless.run(env("CRATE_TOKEN", "t"), home, "secrets", "list");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("crate session org set"), r.err());
    }

    @Test
    void unreachableServerIsOneLineAndExitOne() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Headless.Result r = Headless.run(
                env(
                        "CRATE_TOKEN",
                        "t",
                        "CRATE_ORG",
                        "00000000-0000-0000-0000-000000000000",
                        "CRATE_SERVER",
                        "http://127.0.0.1:" + port),
                home,
                "secrets",
                "list");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cannot reach the Crate server"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
