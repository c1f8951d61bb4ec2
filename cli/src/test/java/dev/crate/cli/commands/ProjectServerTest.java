package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code server:} in a cloned repository's {@code .crate.yaml} must never redirect the user's credential: two
 * real HTTP listeners, the one the user logged in to and the one the project file names, and the second must see
 * no request at all unless the user chose it ({@code --server}, {@code CRATE_SERVER}) or is logged in to it.
 */
class ProjectServerTest {
    private static final String STORED_KEY = "crate_canary-stored-key-9b1e";
    private static final String OTHER_KEY = "crate_canary-other-key-77c0";
    private static final String ENV_TOKEN = "crate_canary-env-token-31f4";

    @TempDir
    Path home;

    private StubServer mine;
    private StubServer theirs;
    private Path repo;

    @BeforeEach
    void start() throws Exception {
        mine = new StubServer();
        theirs = new StubServer();
        repo = home.resolve("cloned/repo/sub");
        Files.createDirectories(repo);
    }

    @AfterEach
    void stop() {
        mine.close();
        theirs.close();
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("CRATE_ORG", StubServer.ORG);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private void loginTo(StubServer server, String key) {
        Headless.Result login =
                Headless.run(env("CRATE_SERVER", server.url(), "CRATE_TOKEN", key), home, "login", "--token");
        assertEquals(0, login.exit(), login.all());
        server.requests.clear();
    }

    private Path projectFile(String server) throws Exception {
        Path file = home.resolve("cloned/repo/.crate.yaml");
        Files.writeString(file, "env: dev\nserver: " + server + "\n");
        return file;
    }

    private static void assertRefused(Headless.Result r, Path file, String named) {
        assertEquals(2, r.exit(), r.all());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("crate: .crate.yaml at " + file + " names server " + named), r.err());
        assertTrue(r.err().contains("--server"), "says how to proceed: " + r.err());
        assertFalse(r.all().contains("canary"), "no credential in the output");
    }

    @Test
    void aStoredLoginIsNotSentToTheProjectFilesServer() throws Exception {
        loginTo(mine, STORED_KEY);
        Path file = projectFile(theirs.url());
        Path value = Files.writeString(home.resolve("value.txt"), "canary-value");
        for (List<String> command : List.of(
                List.of("secrets", "list"),
                List.of("secrets", "set", "NAME", "--from-file", value.toString()),
                List.of("run", "--", "true"),
                List.of("whoami"),
                List.of("secrets", "list", "--tags", "x", "-o", "json"))) {
            Headless.Result r = Headless.run(env(), repo, command.toArray(String[]::new));
            assertRefused(r, file, theirs.url());
            assertTrue(r.err().contains("but your credential is for " + mine.url()), r.err());
        }
        assertEquals(List.of(), theirs.requests, "nothing reached the project file's server");
        assertEquals(List.of(), mine.requests, "nothing is sent at all");
    }

    @Test
    void crateTokenIsNotSentToTheProjectFilesServer() throws Exception {
        Path file = projectFile(theirs.url());
        Headless.Result r = Headless.run(env("CRATE_TOKEN", ENV_TOKEN), repo, "secrets", "list");
        assertRefused(r, file, theirs.url());
        assertTrue(
                r.err().contains("your credential (CRATE_TOKEN) is for http://localhost:8080 (the default server)"),
                r.err());
        Headless.Result login = Headless.run(env("CRATE_TOKEN", ENV_TOKEN), repo, "login", "--token");
        assertRefused(login, file, theirs.url());
        assertEquals(List.of(), theirs.requests);
    }

    @Test
    void aStoredLoginElsewhereDoesNotLetCrateTokenFollowTheProjectFile() throws Exception {
        loginTo(theirs, OTHER_KEY);
        loginTo(mine, STORED_KEY);
        Path file = projectFile(theirs.url());
        Headless.Result r = Headless.run(env("CRATE_TOKEN", ENV_TOKEN), repo, "secrets", "list");
        assertRefused(r, file, theirs.url());
        assertEquals(List.of(), theirs.requests);
    }

    @Test
    void aWorkloadTokenIsNotExchangedAtTheProjectFilesServer() throws Exception {
        Path token = home.resolve("platform-token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2ln");
        Path file = projectFile(theirs.url());
        Headless.Result r = Headless.run(env("CRATE_WORKLOAD_TOKEN_FILE", token.toString()), repo, "secrets", "list");
        assertRefused(r, file, theirs.url());
        assertEquals(List.of(), theirs.requests);
    }

    @Test
    void withoutAnyLoginTheProjectFileCannotPickWhereLoginGoes() throws Exception {
        Path file = projectFile(theirs.url());
        Headless.Result r = Headless.run(env(), repo, "login", "--no-browser");
        assertRefused(r, file, theirs.url());
        assertTrue(r.err().contains("crate login --server " + theirs.url()), r.err());
        assertEquals(List.of(), theirs.requests);
    }

    @Test
    void theProjectFilesServerIsUsedWhenItIsTheCredentialsServer() throws Exception {
        loginTo(mine, STORED_KEY);
        projectFile(mine.url() + "/");
        Headless.Result r = Headless.run(env(), repo, "secrets", "list");
        assertEquals(0, r.exit(), r.all());
        assertEquals(1, mine.requests.size(), mine.requests.toString());
        assertEquals("Bearer " + STORED_KEY, mine.requests.get(0).authorization());
        Headless.Result show = Headless.run(env(), repo, "session", "org", "show", "-o", "json");
        assertEquals(0, show.exit(), show.all());
        assertTrue(show.out().contains(".crate.yaml"), show.out());
    }

    @Test
    void aServerYouLoggedInToGetsOnlyItsOwnCredential() throws Exception {
        loginTo(theirs, OTHER_KEY);
        loginTo(mine, STORED_KEY);
        projectFile(theirs.url());
        Headless.Result r = Headless.run(env(), repo, "secrets", "list");
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(), mine.requests);
        assertEquals(1, theirs.requests.size());
        assertEquals("Bearer " + OTHER_KEY, theirs.requests.get(0).authorization());
    }

    @Test
    void theUsersOwnChoiceWins() throws Exception {
        loginTo(mine, STORED_KEY);
        projectFile(theirs.url());
        Headless.Result flag =
                Headless.run(env("CRATE_TOKEN", ENV_TOKEN), repo, "--server", theirs.url(), "secrets", "list");
        assertEquals(0, flag.exit(), flag.all());
        Headless.Result variable =
                Headless.run(env("CRATE_TOKEN", ENV_TOKEN, "CRATE_SERVER", theirs.url()), repo, "secrets", "list");
        assertEquals(0, variable.exit(), variable.all());
        assertEquals(2, theirs.requests.size());
        theirs.requests.forEach(q -> assertEquals("Bearer " + ENV_TOKEN, q.authorization()));
        Headless.Result ignoring = Headless.run(env(), repo, "--server", mine.url(), "secrets", "list");
        assertEquals(0, ignoring.exit(), ignoring.all());
        assertEquals("Bearer " + STORED_KEY, mine.requests.get(0).authorization());
        assertEquals(2, theirs.requests.size());
    }
}
