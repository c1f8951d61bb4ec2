package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.cli.run.DangerousNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret writer's attack on the child of {@code crate run}, one per runtime installed here: with
 * {@code --allow-dangerous} the secrets really run code in the child (a marker file appears, so the test can
 * fail), without it {@code run} refuses, starts no child, and no marker appears.
 */
class DangerousChildrenTest {
    @TempDir
    Path dir;

    private StubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An attack: the runtime it needs, the secrets (given the marker's path) and the child's command. */
    private record Attack(String runtime, BiFunction<Path, Path, Map<String, String>> secrets, List<String> command) {}

    @Test
    void pythonWarningsWithBrowser() throws Exception {
        assertAttack(new Attack(
                "python3",
                (marker, d) ->
                        Map.of("PYTHONWARNINGS", "all::antigravity.x", "BROWSER", "sh -c 'touch " + marker + "' #%s"),
                List.of("python3", "-c", "pass")));
    }

    @Test
    void pythonPathWithSitecustomize() throws Exception {
        assertAttack(new Attack(
                "python3",
                (marker, d) -> {
                    Path lib = d.resolve("lib-" + marker.getFileName());
                    script(lib, "sitecustomize.py", "open('" + marker + "', 'w')");
                    return Map.of("PYTHONPATH", lib.toString());
                },
                List.of("python3", "-c", "pass")));
    }

    @Test
    void gitConfigFromTheEnvironmentWithFsmonitor() throws Exception {
        Path repo = dir.resolve("repo");
        Assumptions.assumeTrue(onPath("git"));
        assertEquals(
                0,
                new ProcessBuilder("git", "init", "-q", repo.toString()).start().waitFor());
        assertAttack(new Attack(
                "git",
                (marker, d) -> Map.of(
                        "GIT_CONFIG_COUNT", "1",
                        "GIT_CONFIG_KEY_0", "core.fsmonitor",
                        "GIT_CONFIG_VALUE_0", "touch " + marker + "; false"),
                List.of("git", "-C", repo.toString(), "status", "--short")));
    }

    @Test
    void gitSshCommand() throws Exception {
        assertAttack(new Attack(
                "git",
                (marker, d) -> Map.of("GIT_SSH_COMMAND", "touch " + marker + "; false"),
                List.of("git", "ls-remote", "ssh://example.invalid/repo.git")));
    }

    @Test
    void bashEnvIsExpandedWithCommandSubstitution() throws Exception {
        assertAttack(new Attack(
                "bash", (marker, d) -> Map.of("BASH_ENV", "$(touch " + marker + ")"), List.of("bash", "-c", "true")));
    }

    @Test
    void perlDebuggerHook() throws Exception {
        assertAttack(new Attack(
                "perl",
                (marker, d) -> Map.of("PERL5OPT", "-d", "PERL5DB", "BEGIN{system q(touch " + marker + ")}"),
                List.of("perl", "-e", "1")));
    }

    @Test
    void nodeOptionsRequire() throws Exception {
        assertAttack(new Attack(
                "node",
                (marker, d) -> Map.of(
                        "NODE_OPTIONS",
                        "--require " + script(d, "evil.js", "require('fs').writeFileSync('" + marker + "', '')")),
                List.of("node", "-e", "0")));
    }

    @Test
    void javaToolOptions() throws Exception {
        Path program = dir.resolve("Oom.java");
        Files.writeString(
                program, "class Oom { public static void main(String[] a) { long[] x = new long[1 << 30]; } }");
        assertAttack(new Attack(
                "java",
                (marker, d) -> Map.of(
                        "JAVA_TOOL_OPTIONS",
                        "-XX:OnOutOfMemoryError=" + executable(d, "mark.sh", "#!/bin/sh\ntouch " + marker + "\n")),
                List.of("java", "-Xmx64m", "-XX:TieredStopAtLevel=1", program.toString())));
    }

    private void assertAttack(Attack attack) throws Exception {
        Assumptions.assumeTrue(onPath(attack.runtime()), attack.runtime() + " is not installed");
        Path refusedMarker = dir.resolve("refused-marker");
        server.secrets.clear();
        server.secrets.putAll(attack.secrets().apply(refusedMarker, dir));
        server.secrets.put("DATABASE_URL", "postgres://ordinary");
        assertEquals(
                new ArrayList<>(attack.secrets().apply(refusedMarker, dir).keySet())
                        .stream().sorted().toList(),
                DangerousNames.among(server.secrets.keySet()),
                "every name of the attack is refused, the ordinary one is not");

        Headless.Result refused = run(attack.command(), false);
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(
                refused.err().contains("refusing to inject") && refused.err().contains("--allow-dangerous"),
                refused.err());
        assertFalse(Files.exists(refusedMarker), "the attack ran although run refused");

        Path allowedMarker = dir.resolve("allowed-marker");
        server.secrets.clear();
        server.secrets.putAll(attack.secrets().apply(allowedMarker, dir));
        run(attack.command(), true);
        assertTrue(Files.exists(allowedMarker), "the attack does not work here, so refusing it proves nothing");
    }

    private Headless.Result run(List<String> command, boolean allow) {
        Map<String, String> env = server.cliEnv(dir);
        List<String> args = new ArrayList<>(List.of("run", "--quiet"));
        if (allow) {
            args.add("--allow-dangerous");
        }
        args.add("--");
        args.addAll(command);
        return Headless.run(env, dir, args.toArray(String[]::new));
    }

    private static String script(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), content).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String executable(Path dir, String name, String content) {
        Path file = Path.of(script(dir, name, content));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }

    static boolean onPath(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + command)
                        .redirectErrorStream(true)
                        .start()
                        .waitFor()
                == 0;
    }
}
