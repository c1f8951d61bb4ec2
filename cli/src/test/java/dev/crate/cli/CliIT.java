package dev.crate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bin/crate} as a user runs it, against the packaged server on a real PostgreSQL. Canary
 * values must never show up where they do not belong: stdout/stderr of commands other than
 * {@code get --plain}, {@code fetch} and {@code export}, the config directory, the shell history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static final String CANARY_BACKEND = "canary-backend-7f3a9c";
    private static final String CANARY_STDIN = "canary-stdin \"quoted\" #hash =eq\nline2 wörld 🔑";
    private static final String CANARY_PAIR = "canary-pair-41d2";
    private static final String CANARY_STORY = "sk_test_canary-story-12345";
    private static final List<String> CANARIES =
            List.of("canary-backend", "canary-stdin", "canary-pair", "canary-hist", "canary-story");

    private static CrateServer server;
    private static Launcher crate;

    @BeforeAll
    static void start() throws Exception {
        server = CrateServer.start();
        crate = new Launcher(Files.createTempDirectory("crate-cli-it-home"));
        crate.env.put("CRATE_SERVER", server.url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static void assertNoCanary(Launcher.Result result) {
        for (String canary : CANARIES) {
            assertFalse(result.all().contains(canary), "canary leaked: " + result.all());
        }
    }

    @Test
    @Order(1)
    void loginWithTokenStoresTheKeyPrivatelyAndSelectsTheOnlyOrganization() throws Exception {
        Launcher.Result login = crate.run(Map.of(), server.adminKey + "\n", "login", "--token");
        assertEquals(0, login.exit(), login.all());
        Path dir = crate.home.resolve(".config/crate");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> assertEquals("rw-------", permissions(f), f.toString()));
        }
        Launcher.Result show = crate.run("session", "org", "show", "-o", "json");
        assertEquals(
                "default",
                Json.MAPPER.readTree(show.out()).get("organization_name").asText());
    }

    @Test
    @Order(2)
    void setListGetAndFetch() throws Exception {
        Launcher.Result set =
                crate.run(Map.of(), null, "secrets", "set", "BACKEND_KEY", CANARY_BACKEND, "--tags", "backend");
        assertEquals(0, set.exit(), set.all());
        assertNoCanary(set);
        assertTrue(set.err().contains("shell history"), "warns about values on the command line");
        Launcher.Result stdin = crate.run(Map.of(), CANARY_STDIN, "secrets", "set", "FROM_STDIN", "-");
        assertEquals(0, stdin.exit(), stdin.all());
        assertNoCanary(stdin);
        Launcher.Result pairs = crate.run("secrets", "set", "PAIR_ONE=" + CANARY_PAIR, "PAIR_TWO=two");
        assertEquals(0, pairs.exit(), pairs.all());
        assertNoCanary(pairs);

        Launcher.Result list = crate.run("secrets", "list");
        assertEquals(0, list.exit(), list.all());
        assertTrue(
                list.out().contains("BACKEND_KEY")
                        && list.out().contains("FROM_STDIN")
                        && list.out().contains("PAIR_TWO"),
                list.out());
        assertNoCanary(list);

        Launcher.Result masked = crate.run("secrets", "get", "BACKEND_KEY");
        assertEquals(0, masked.exit(), masked.all());
        assertNoCanary(masked);
        assertEquals(
                CANARY_BACKEND + "\n",
                crate.run("secrets", "get", "BACKEND_KEY", "--plain").out());

        Launcher.Result fetch = crate.run("secrets", "fetch", "--format", "json");
        assertEquals(0, fetch.exit(), fetch.all());
        JsonNode values = Json.MAPPER.readTree(fetch.out());
        assertEquals(CANARY_STDIN, values.get("FROM_STDIN").asText());
        assertEquals(CANARY_PAIR, values.get("PAIR_ONE").asText());
    }

    @Test
    @Order(3)
    void runGivesTheChildTheSecretsButNotTheToken() throws Exception {
        Launcher.Result run = crate.run(
                Map.of("CRATE_TOKEN", server.adminKey),
                null,
                "run",
                "--tags",
                "backend",
                "--",
                "sh",
                "-c",
                "test \"$BACKEND_KEY\" = '" + CANARY_BACKEND
                        + "' && test -z \"$PAIR_ONE\" && test -z \"$CRATE_TOKEN\" && echo child-ok");
        assertEquals(0, run.exit(), run.all());
        assertEquals("child-ok\n", run.out());
    }

    @Test
    @Order(3)
    void runSaysWhatItInjectedAndWhichSecretsTheTagLeftOut() throws Exception {
        assertEquals(
                0,
                crate.run("secrets", "set", "STRIPE_API_KEY", CANARY_STORY, "--env", "prod")
                        .exit());
        assertEquals(
                0,
                crate.run(
                                "secrets",
                                "set",
                                "API_URL=https://canary-story.example",
                                "--env",
                                "prod",
                                "--tags",
                                "backend")
                        .exit());
        Launcher.Result run = crate.run(
                "run",
                "--env",
                "prod",
                "--tags",
                "backend",
                "--",
                "sh",
                "-c",
                "test -n \"$API_URL\" && test -z \"$STRIPE_API_KEY\"");
        assertEquals(0, run.exit(), run.all());
        assertEquals(
                "crate: injected 1 secret from prod tagged backend\n"
                        + "crate: 1 secret in prod has no tag 'backend': STRIPE_API_KEY\n",
                run.err());
        assertNoCanary(run);
    }

    @Test
    @Order(3)
    void runQuietSaysNothing() throws Exception {
        Launcher.Result run = crate.run("run", "--env", "prod", "--tags", "backend", "--quiet", "--", "true");
        assertEquals(0, run.exit(), run.all());
        assertEquals("", run.err());
    }

    @Test
    @Order(3)
    void runRequireSecretsRefusesAnEmptyResultBeforeTheChildStarts() throws Exception {
        Path started = crate.home.resolve("child-started");
        Launcher.Result run = crate.run(
                "run",
                "--env",
                "prod",
                "--tags",
                "nothing-has-this",
                "--require-secrets",
                "--",
                "touch",
                started.toString());
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.err().contains("no secrets in prod tagged nothing-has-this"), run.err());
        assertFalse(Files.exists(started), "the child did not start");
        assertEquals(
                1,
                crate.run("run", "--env", "prod", "--tags", "nothing-has-this", "--fail-if-empty", "--", "true")
                        .exit());
    }

    @Test
    @Order(3)
    void globalOptionsWorkBeforeTheCommand() throws Exception {
        Launcher.Result list = crate.run("--env", "prod", "-o", "json", "secrets", "list");
        assertEquals(0, list.exit(), list.all());
        assertTrue(Json.MAPPER.readTree(list.out()).get("secrets").isArray(), list.out());
    }

    @Test
    @Order(3)
    void anApiKeyInCrateTokenNeedsNoOrganization() throws Exception {
        Launcher ci = new Launcher(Files.createTempDirectory("crate-cli-it-ci"));
        Launcher.Result list = ci.run(
                Map.of("CRATE_SERVER", server.url, "CRATE_TOKEN", server.adminKey),
                null,
                "secrets",
                "list",
                "--env",
                "prod");
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().startsWith("NAME"), list.out());
    }

    @Test
    @Order(3)
    void noAnsiEscapesWhenStdoutIsNotATerminal() throws Exception {
        for (String[] args : List.of(
                new String[] {"--help"},
                new String[] {"secrets", "get"},
                new String[] {"secrets", "list", "--bogus"},
                new String[] {"run", "--help"},
                new String[] {"secrets", "list"})) {
            Launcher.Result r = crate.run(args);
            assertFalse(r.all().contains("\u001b"), String.join(" ", args) + ": " + r.all());
        }
    }

    @Test
    @Order(4)
    void runPassesTheChildsExitCode() throws Exception {
        assertEquals(7, crate.run("run", "--", "sh", "-c", "exit 7").exit());
        assertEquals(3, crate.run("run", "--command", "exit 3").exit());
    }

    @Test
    @Order(5)
    void runForwardsSigtermToTheChildAndReapsIt() throws Exception {
        Process process = crate.builder(
                        Map.of(),
                        "run",
                        "--quiet",
                        "--",
                        "sh",
                        "-c",
                        "trap 'echo got-term; exit 42' TERM; echo ready; while true; do sleep 0.1; done")
                .redirectErrorStream(true)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
        new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                .start()
                .waitFor();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "crate run ends after SIGTERM");
        assertEquals("got-term", out.readLine());
        assertEquals(42, process.exitValue());
    }

    @Test
    @Order(6)
    void runRefusesDangerousNamesUnlessAllowed() throws Exception {
        Launcher.Result set =
                crate.run(Map.of(), "--no-warnings", "secrets", "set", "NODE_OPTIONS", "-", "--env", "staging");
        assertEquals(0, set.exit(), set.all());
        assertTrue(
                set.err().contains("refuses to inject NODE_OPTIONS")
                        && set.err().contains("--allow-dangerous"),
                set.err());
        Launcher.Result refused = crate.run("run", "--env", "staging", "--", "true");
        assertEquals(1, refused.exit());
        assertTrue(
                refused.err().contains("NODE_OPTIONS") && refused.err().contains("--allow-dangerous"), refused.err());
        assertEquals(
                0,
                crate.run("run", "--env", "staging", "--allow-dangerous", "--", "true")
                        .exit());
    }

    @Test
    @Order(7)
    void exportThenImportRoundTripsEveryValue() throws Exception {
        Launcher.Result export = crate.run("secrets", "export", "--format", "dotenv");
        assertEquals(0, export.exit(), export.all());
        Path file = crate.home.resolve("backup.env");
        Files.writeString(file, export.out());
        for (String name : List.of("BACKEND_KEY", "FROM_STDIN", "PAIR_ONE", "PAIR_TWO")) {
            assertEquals(0, crate.run("secrets", "delete", name).exit());
        }
        Launcher.Result dry = crate.run("secrets", "import", file.toString(), "--dry-run");
        assertEquals(0, dry.exit(), dry.all());
        assertTrue(dry.out().contains("would create"), dry.out());
        assertNoCanary(dry);
        assertTrue(crate.run("secrets", "list").out().lines().count() <= 1, "dry run stores nothing");
        Launcher.Result imported = crate.run("secrets", "import", file.toString());
        assertEquals(0, imported.exit(), imported.all());
        assertNoCanary(imported);
        JsonNode values = Json.MAPPER.readTree(
                crate.run("secrets", "fetch", "--format", "json").out());
        assertEquals(CANARY_STDIN, values.get("FROM_STDIN").asText());
        assertEquals(CANARY_BACKEND, values.get("BACKEND_KEY").asText());
        assertEquals(CANARY_PAIR, values.get("PAIR_ONE").asText());
        assertTrue(crate.run("secrets", "import", file.toString()).out().contains("unchanged"));
    }

    @Test
    @Order(8)
    void unreachableServerIsOneLineAndNonZero() throws Exception {
        Launcher.Result result = crate.run(
                Map.of(
                        "CRATE_SERVER",
                        "http://127.0.0.1:" + CrateServer.freePort(),
                        "CRATE_TOKEN",
                        "crate_x",
                        "CRATE_ORG",
                        "00000000-0000-0000-0000-000000000000"),
                null,
                "run",
                "--",
                "true");
        assertEquals(1, result.exit());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("cannot reach the Crate server"), result.err());
    }

    @Test
    @Order(8)
    void keysRotateThenStatusShowsTheNewVersionAndSecretsStillDecrypt() throws Exception {
        Launcher.Result rotate = crate.run("keys", "rotate", "--tier", "org");
        assertEquals(0, rotate.exit(), rotate.all());
        assertTrue(rotate.out().contains("v1") && rotate.out().contains("v2"), rotate.out());
        Launcher.Result transport = crate.run("keys", "rotate", "--tier", "transport");
        assertEquals(0, transport.exit(), transport.all());
        Launcher.Result status = crate.run("keys", "status", "-o", "json");
        assertEquals(0, status.exit(), status.all());
        JsonNode keys = Json.MAPPER.readTree(status.out());
        assertEquals(2, keys.get("org_keys").get(0).get("version").asInt());
        assertEquals("active", keys.get("org_keys").get(0).get("state").asText());
        assertEquals(2, keys.get("transport_keys").size());
        Launcher.Result table = crate.run("keys", "status");
        assertEquals(0, table.exit(), table.all());
        assertTrue(table.out().contains("org v2"), table.out());
        Launcher.Result bad = crate.run("keys", "rotate", "--tier", "root");
        assertTrue(bad.exit() != 0, bad.all());
        assertEquals(
                CANARY_PAIR + "\n",
                crate.run("secrets", "get", "PAIR_ONE", "--plain").out());
        assertNoCanary(status);
    }

    @Test
    @Order(9)
    void aViewerKeyIsToldItLacksPermission() throws Exception {
        Launcher.Result created = crate.run("api-keys", "create", "viewer bot", "--role", "viewer", "-o", "json");
        assertEquals(0, created.exit(), created.all());
        String viewerKey = Json.MAPPER.readTree(created.out()).get("key").asText();
        Launcher.Result denied = crate.run(Map.of("CRATE_TOKEN", viewerKey), null, "secrets", "fetch");
        assertEquals(1, denied.exit());
        assertTrue(denied.err().contains("permission denied: needs dev:read"), denied.err());
        assertNoCanary(denied);
    }

    @Test
    @Order(9)
    void whoamiListsRolesAndGrants() throws Exception {
        Launcher.Result whoami = crate.run("whoami", "-o", "json");
        assertEquals(0, whoami.exit(), whoami.all());
        JsonNode org = Json.MAPPER.readTree(whoami.out()).get("organizations").get(0);
        assertEquals("admin", org.get("role").asText());
        assertEquals("all environments: read+write", org.get("grants").asText());
        assertTrue(crate.run("whoami").out().contains("GRANTS"));
    }

    @Test
    @Order(10)
    void shellHistoryNeverKeepsValues() throws Exception {
        Assumptions.assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v script").start().waitFor() == 0, "needs util-linux script");
        Process shell = crate.shellOnTerminal()
                .redirectErrorStream(true)
                .redirectOutput(crate.home.resolve("shell.log").toFile())
                .start();
        try (var in = shell.getOutputStream()) {
            for (String line :
                    List.of("secrets set HIST_SECRET=canary-hist-99", "secrets list", "help secrets", "exit")) {
                Thread.sleep(3000);
                in.write((line + "\r").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell ends on exit");
        }
        Path history = crate.home.resolve(".config/crate/shell_history");
        assertTrue(Files.exists(history), "the shell keeps a history");
        String kept = Files.readString(history);
        assertTrue(kept.contains("secrets list"), kept);
        assertFalse(kept.contains("canary-hist"), "history keeps no values");
        assertEquals(0, crate.run("secrets", "get", "HIST_SECRET").exit(), "the shell ran the command");
        assertTrue(
                Files.readString(crate.home.resolve("shell.log")).contains("Usage: crate secrets <command>"),
                "help works in the shell");
    }

    @Test
    @Order(11)
    void theConfigDirectoryHoldsNoSecretValues() throws Exception {
        try (Stream<Path> files = Files.walk(crate.home.resolve(".config"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                CANARIES.forEach(c -> assertFalse(text.contains(c), file + " holds a value"));
            }
        }
    }

    @Test
    @Order(12)
    void helpInsideTheShellIsTheOneShotHelp() throws Exception {
        Assumptions.assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v script").start().waitFor() == 0, "needs util-linux script");
        Process shell = crate.shellOnTerminal()
                .redirectErrorStream(true)
                .redirectOutput(crate.home.resolve("shell-help.log").toFile())
                .start();
        try (var in = shell.getOutputStream()) {
            for (String line : List.of(
                    "run --help",
                    "secrets list --help",
                    "secrets -h",
                    "help secrets set",
                    "run --tagz x -- true",
                    "exit")) {
                Thread.sleep(3000);
                in.write((line + "\r").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell ends on exit");
        }
        String log = Files.readString(crate.home.resolve("shell-help.log"));
        for (String[] help : List.of(
                new String[] {"run", "--help"},
                new String[] {"secrets", "list", "--help"},
                new String[] {"secrets", "--help"},
                new String[] {"secrets", "set", "--help"})) {
            String expected = crate.run(help).out();
            assertTrue(expected.startsWith("Usage: crate " + help[0]), expected);
            // the terminal ends each line with CR LF
            assertTrue(log.replace("\r\n", "\n").contains(expected), String.join(" ", help) + " in:\n" + log);
        }
        assertTrue(log.contains("crate: unknown option '--tagz' for 'crate run'"), log);
        assertFalse(log.contains("cannot run"), log);
        assertFalse(log.contains("is unknown"), log);
    }

    @Test
    @Order(13)
    void historyListsVersionsAndRollbackRestoresAnOlderValue() throws Exception {
        assertEquals(0, crate.run("secrets", "set", "ROLLED", "history-one").exit());
        assertEquals(0, crate.run("secrets", "set", "ROLLED", "history-two").exit());
        Launcher.Result history = crate.run("secrets", "history", "ROLLED");
        assertEquals(0, history.exit(), history.all());
        assertTrue(history.out().contains("VERSION") && history.out().contains("current"), history.out());
        assertFalse(history.out().contains("history-"), "history never shows values");
        Launcher.Result rollback = crate.run("secrets", "rollback", "ROLLED", "1", "-o", "json");
        assertEquals(0, rollback.exit(), rollback.all());
        assertTrue(rollback.err().contains("now version 3"), rollback.err());
        assertEquals(3, Json.MAPPER.readTree(rollback.out()).get("version").asInt(), rollback.out());
        assertEquals(
                "history-one\n",
                crate.run("secrets", "get", "ROLLED", "--plain").out());
        JsonNode versions = Json.MAPPER.readTree(
                crate.run("secrets", "history", "ROLLED", "-o", "json").out());
        assertEquals(3, versions.get("versions").size());
        Launcher.Result missing = crate.run("secrets", "rollback", "ROLLED", "42");
        assertEquals(1, missing.exit(), missing.all());
        Launcher.Result usage = crate.run("secrets", "rollback", "ROLLED");
        assertEquals(2, usage.exit(), usage.all());
    }

    @Test
    @Order(14)
    void auditListsExportsAndVerifiesTheTrail() throws Exception {
        Launcher.Result list = crate.run("audit", "list", "--action", "secret.");
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().contains("secret.rollback") && list.out().contains("ROLLED"), list.out());
        assertNoCanary(list);
        Launcher.Result export = crate.run("audit", "export");
        assertEquals(0, export.exit(), export.all());
        String[] lines = export.out().strip().split("\n");
        assertTrue(lines.length > 10, export.out());
        assertEquals(1, Json.MAPPER.readTree(lines[0]).get("seq").asInt());
        assertNoCanary(export);
        Launcher.Result csv = crate.run("audit", "export", "--format", "csv");
        assertEquals(0, csv.exit(), csv.all());
        assertTrue(csv.out().startsWith("id,seq,occurred_at"), csv.out());
        Launcher.Result verify = crate.run("audit", "verify");
        assertEquals(0, verify.exit(), verify.all());
        assertTrue(verify.out().startsWith("intact:"), verify.out());
        Assumptions.assumeTrue(server.database() != null, "tampering needs the machine's PostgreSQL");
        Process psql = new ProcessBuilder(
                        "psql",
                        "-h",
                        "127.0.0.1",
                        "-U",
                        "postgres",
                        "-d",
                        server.database(),
                        "-c",
                        "update audit_events set actor_name = 'mallory' where seq = 2")
                .redirectErrorStream(true)
                .start();
        assertTrue(
                psql.waitFor(30, TimeUnit.SECONDS) && psql.exitValue() == 0,
                new String(psql.getInputStream().readAllBytes()));
        Launcher.Result broken = crate.run("audit", "verify");
        assertEquals(1, broken.exit(), broken.all());
        assertTrue(broken.out().contains("BROKEN at seq 2: hash_mismatch"), broken.out());
    }

    @Test
    @Order(15)
    void auditListWithoutFiltersShowsTheNewestRecords() throws Exception {
        Launcher.Result list = crate.run("audit", "list", "-o", "json");
        assertEquals(0, list.exit(), list.all());
        JsonNode events = Json.MAPPER.readTree(list.out()).get("events");
        assertTrue(events.size() > 10 && events.size() <= 50, list.out());
        assertTrue(events.get(0).get("seq").asLong() > events.get(1).get("seq").asLong(), "newest first");
        assertNoCanary(list);
    }

    /**
     * A cloned repository's {@code .crate.yaml} names another server: with the session of {@code crate login} (the
     * packaged server), the CLI refuses before sending anything, and that server (a real listener) sees no request.
     * Naming the session's own server (spelt with a trailing slash) works.
     */
    @Test
    @Order(16)
    void aProjectFileCannotSendTheCredentialToItsServer() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer theirs =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        theirs.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        theirs.start();
        try {
            Path repo = crate.home.resolve("cloned-repo");
            Files.createDirectories(repo.resolve("src"));
            String theirUrl = "http://127.0.0.1:" + theirs.getAddress().getPort();
            Files.writeString(repo.resolve(".crate.yaml"), "env: dev\nserver: " + theirUrl + "\n");
            Map<String, String> noServer = Map.of("CRATE_SERVER", "");
            for (String[] command :
                    List.of(new String[] {"secrets", "list"}, new String[] {"run", "--", "true"}, new String[] {
                        "secrets", "set", "FROM_REPO", "x"
                    })) {
                Launcher.Result r = runIn(repo.resolve("src"), noServer, command);
                assertEquals(2, r.exit(), r.all());
                assertTrue(
                        r.err()
                                .contains(".crate.yaml at " + repo.resolve(".crate.yaml") + " names server " + theirUrl
                                        + ", but your credential is for " + server.url),
                        r.err());
            }
            Launcher.Result token = runIn(
                    repo.resolve("src"), Map.of("CRATE_SERVER", "", "CRATE_TOKEN", server.adminKey), "secrets", "list");
            assertEquals(2, token.exit(), token.all());
            assertEquals(List.of(), seen, "no request reached the project file's server");

            Files.writeString(repo.resolve(".crate.yaml"), "env: dev\nserver: " + server.url + "/\n");
            Launcher.Result same = runIn(repo.resolve("src"), noServer, "secrets", "list");
            assertEquals(0, same.exit(), same.all());
        } finally {
            theirs.stop(0);
        }
    }

    private static Launcher.Result runIn(Path dir, Map<String, String> extra, String... args) throws Exception {
        Process process = crate.builder(extra, args)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("crate did not finish");
        }
        return new Launcher.Result(process.exitValue(), out, err);
    }

    @Test
    @Order(99)
    void logoutForgetsTheKey() throws Exception {
        assertEquals(0, crate.run("logout").exit());
        Launcher.Result after = crate.run("secrets", "list");
        assertNotEquals(0, after.exit());
        assertTrue(after.err().contains("crate login"), after.err());
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
