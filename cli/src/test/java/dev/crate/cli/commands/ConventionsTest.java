package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What gh, doppler and kubectl users expect of a command line: help, short usage errors, global options anywhere. */
class ConventionsTest {
    private static final String NO_SERVER = "http://127.0.0.1:1";
    private static final String ORG = "00000000-0000-0000-0000-000000000000";

    @TempDir
    Path home;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Headless.Result run(String... args) {
        return Headless.run(env("CRATE_TOKEN", "t", "CRATE_ORG", ORG, "CRATE_SERVER", NO_SERVER), home, args);
    }

    private static void assertHelp(Headless.Result r, String usage) {
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage: " + usage), r.out());
        assertEquals("", r.err());
        assertFalse(r.out().contains("\u001b"), "no ANSI escapes");
    }

    @Test
    void helpOptionsPrintHelpOnStdoutAndExitZeroAtEveryLevel() {
        assertHelp(run("--help"), "crate <command>");
        assertHelp(run("-h"), "crate <command>");
        assertHelp(run("secrets", "--help"), "crate secrets <command>");
        assertHelp(run("secrets", "set", "--help"), "crate secrets set [options]");
        assertHelp(run("session", "org", "show", "-h"), "crate session org show [options]");
        assertHelp(run("secrets", "get", "--help"), "crate secrets get [options] NAME");
    }

    @Test
    void helpCommandPrintsTheHelpOfTheNamedCommand() {
        assertHelp(run("help"), "crate <command>");
        assertHelp(run("help", "secrets", "set"), "crate secrets set [options]");
        assertHelp(run("help", "run"), "crate run [options] -- COMMAND");
    }

    @Test
    void runHelpShowsRunsHelpInsteadOfRunningIt() {
        Headless.Result r = run("run", "--help");
        assertHelp(r, "crate run [options] -- COMMAND");
        assertTrue(r.out().contains("--require-secrets"), r.out());
    }

    @Test
    void helpAfterTheChildsCommandBelongsToTheChild() {
        Headless.Result r = run("run", "--", "npm", "--help");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("cannot reach the Crate server"), r.err());
    }

    @Test
    void runRejectsAnUnknownOptionBeforeTheCommand() {
        Headless.Result r = run("run", "--tagz", "backend", "--", "true");
        assertEquals(2, r.exit());
        assertEquals(
                "crate: unknown option '--tagz' for 'crate run' (the command to run goes after --)\nsee 'crate run --help'\n",
                r.err());
    }

    @Test
    void unknownOptionIsOneLineAndAHint() {
        Headless.Result r = run("secrets", "list", "--bogus");
        assertEquals(2, r.exit());
        assertEquals(
                "crate: unknown option '--bogus' for 'crate secrets list'\nsee 'crate secrets list --help'\n", r.err());
    }

    @Test
    void missingArgumentIsOneLineAndAHint() {
        Headless.Result r = run("secrets", "get");
        assertEquals(2, r.exit());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().endsWith("see 'crate secrets get --help'\n"), r.err());
    }

    @Test
    void usageErrorOfACommandEndsWithItsHint() {
        Headless.Result r = run("secrets", "set");
        assertEquals(2, r.exit());
        assertTrue(r.err().endsWith("\nsee 'crate secrets set --help'\n"), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void nounWithoutVerbNamesItsVerbsInOneLine() {
        Headless.Result r = run("secrets");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("crate: 'crate secrets' needs a command: set, get, list"), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Headless.Result r = run("secrets", "lsit");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("crate: unknown command 'lsit' for 'crate secrets'"), r.err());
    }

    @Test
    void globalOptionsAreAcceptedBeforeTheCommand() throws IOException {
        Headless.Result r = Headless.run(
                env(),
                home,
                "--env",
                "prod",
                "--org=acme",
                "-o",
                "json",
                "--server",
                "http://b:2",
                "session",
                "org",
                "show");
        assertEquals(0, r.exit(), r.err());
        JsonNode shown = Json.MAPPER.readTree(r.out());
        assertEquals("prod", shown.get("environment").asText());
        assertEquals("acme", shown.get("organization").asText());
        assertEquals("http://b:2", shown.get("server").asText());
    }

    @Test
    void globalOptionsAreAcceptedBetweenNounAndVerb() throws IOException {
        Headless.Result r = Headless.run(env(), home, "session", "--env", "staging", "org", "show", "-o", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("staging", Json.MAPPER.readTree(r.out()).get("environment").asText());
    }

    @Test
    void fetchTakesOutputAsASynonymOfFormat() {
        Headless.Result table = run("secrets", "fetch", "-o", "table");
        assertEquals(2, table.exit());
        assertTrue(table.err().contains("not a table"), table.err());
        Headless.Result both = run("secrets", "export", "-o", "json", "--format", "yaml");
        assertEquals(2, both.exit());
    }

    @Test
    void auditExportTakesOutputJsonAsJsonLines() {
        Headless.Result yaml = run("audit", "export", "-o", "yaml");
        assertEquals(2, yaml.exit());
        assertTrue(yaml.err().contains("JSON lines"), yaml.err());
        assertEquals(2, run("audit", "export", "-o", "json", "--format", "csv").exit());
        Headless.Result json = run("audit", "export", "-o", "json");
        assertEquals(1, json.exit(), "accepted, then the server cannot be reached: " + json.err());
    }

    @Test
    void completionScriptsNameCommandsAndOptions() {
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            Headless.Result r = run("completion", shell);
            assertEquals(0, r.exit(), r.err());
            assertTrue(
                    r.out().contains("rollback")
                            && r.out().contains("require-secrets")
                            && r.out().contains("completion --list envs"),
                    shell + ": " + r.out());
        }
        assertEquals(2, run("completion", "tcsh").exit());
    }

    @Test
    void completionListIsEmptyWhenTheServerCannotTell() {
        Headless.Result r = run("completion", "--list", "envs");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void sessionOrgShowTellsWhereEachSettingComesFrom() throws IOException {
        Files.writeString(home.resolve(".crate.yaml"), "org: from-project\n");
        Headless.Result r = Headless.run(env("CRATE_ENV", "staging"), home, "session", "org", "show", "-o", "json");
        JsonNode shown = Json.MAPPER.readTree(r.out());
        assertEquals("from-project", shown.get("organization").asText());
        assertEquals(
                home.resolve(".crate.yaml").toString(),
                shown.get("sources").get("organization").asText());
        assertEquals("CRATE_ENV", shown.get("sources").get("environment").asText());
        assertEquals("default", shown.get("sources").get("server").asText());
    }

    @Test
    void sessionOrgShowPrefersTheProjectFileOverTheSession() throws IOException {
        Files.createDirectories(home.resolve("config/crate"));
        Files.writeString(
                home.resolve("config/crate/config.json"),
                "{\"org\":\"11111111-1111-1111-1111-111111111111\",\"org_name\":\"session-org\"}");
        Files.writeString(home.resolve(".crate.yaml"), "org: project-org\n");
        Headless.Result r = Headless.run(env(), home, "session", "org", "show");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("project-org") && !r.out().contains("session-org"), r.out());
    }

    @Test
    void unknownProjectFileKeysAreWarnedAbout() {
        try {
            Files.writeString(home.resolve(".crate.yaml"), "envv: prod\norg: acme\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Headless.Result r = Headless.run(env(), home, "session", "org", "show");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("unknown key 'envv' (did you mean 'env'?)"), r.err());
    }
}
