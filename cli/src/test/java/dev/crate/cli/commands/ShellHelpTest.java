package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.cli.Main;
import dev.crate.cli.commands.shell.ShellCommand;
import dev.crate.cli.session.Host;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aesh.command.CommandResult;
import org.aesh.command.CommandRuntime;
import org.aesh.command.invocation.CommandInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help inside {@code crate shell}: lines typed there go through Aesh's parser over the shell's commands
 * ({@link ShellCommand#runtime()}), not through {@link Argv}, so {@code X --help}, {@code X -h} and
 * {@code help X} are checked there against the one-shot answer, for every command the shell offers;
 * and {@code run --help} shows help without asking the server for anything.
 */
class ShellHelpTest {
    @TempDir
    Path dir;

    private StubServer server;
    private final CommandRuntime<CommandInvocation> shell = ShellCommand.runtime();

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> env() {
        return server.cliEnv(dir);
    }

    /** One line typed into the shell; a parse failure Aesh would print becomes exit -1 and its message. */
    private Headless.Result line(String line) {
        return Headless.run(
                args -> {
                    try {
                        CommandResult result = shell.executeCommand(args[0]);
                        return result == null ? -1 : result.getResultValue();
                    } catch (Exception e) {
                        Host.current().err().println("aesh: " + e.getMessage());
                        return -1;
                    }
                },
                env(),
                dir,
                line);
    }

    private Headless.Result outside(String... args) {
        return Headless.run(Main::execute, env(), dir, args);
    }

    /** Every command the shell offers ({@link RootCommand#SHELL_COMMANDS} but help), and their verbs. */
    private static List<CommandTree> shellCommands() {
        List<CommandTree> all = new ArrayList<>();
        for (Class<?> type : RootCommand.SHELL_COMMANDS) {
            if (type != HelpCommand.class) {
                addWithVerbs(CommandTree.find(type).orElseThrow(), all);
            }
        }
        return all;
    }

    private static void addWithVerbs(CommandTree node, List<CommandTree> into) {
        into.add(node);
        node.children().forEach(c -> addWithVerbs(c, into));
    }

    @Test
    void helpInsideTheShellIsTheOneShotHelpForEveryCommand() {
        List<CommandTree> commands = shellCommands();
        assertTrue(commands.size() > 20, "the tree names the shell's commands: " + commands);
        for (CommandTree command : commands) {
            String words = command.path().substring("crate ".length());
            Headless.Result expected = outside((words + " --help").split(" "));
            assertEquals(0, expected.exit(), words);
            assertTrue(expected.out().startsWith("Usage: crate " + words), expected.out());
            for (String typed : List.of(words + " --help", words + " -h", "help " + words)) {
                Headless.Result r = line(typed);
                assertEquals(0, r.exit(), typed + ": " + r.all());
                assertEquals(expected.out(), r.out(), typed);
                assertEquals("", r.err(), typed);
                assertFalse(r.out().contains("\u001b"), "no ANSI escapes");
            }
        }
        assertTrue(server.requests.isEmpty(), "help asks the server nothing: " + server.requests);
    }

    @Test
    void runHelpInsideTheShellShowsHelpAndRunsNothing() {
        Headless.Result expected = outside("run", "--help");
        for (String typed :
                List.of("run --help", "run -h", "run --help -- true", "run --tags backend -h -- true", "help run")) {
            Headless.Result r = line(typed);
            assertEquals(0, r.exit(), typed + ": " + r.all());
            assertEquals(expected.out(), r.out(), typed);
            assertFalse(r.err().contains("cannot run"), r.err());
        }
        assertTrue(server.requests.isEmpty(), "no secret was fetched: " + server.requests);
    }

    @Test
    void helpAfterTheChildsCommandBelongsToTheChildInsideTheShell() {
        // test(1) exits 0 only when it really received '--help' twice: the child ran, with its own --help
        Headless.Result r = line("run --quiet -- test --help = --help");
        assertEquals(0, r.exit(), r.all());
        assertEquals("", r.out());
        Headless.Result differs = line("run --quiet -- test --help != --help");
        assertEquals(1, differs.exit(), differs.all());
        assertFalse(server.requests.isEmpty(), "run fetched the secrets");
    }

    @Test
    void runRejectsAnUnknownOptionBeforeTheCommandInsideTheShell() {
        Headless.Result expected = outside("run", "--tagz", "backend", "--", "true");
        Headless.Result r = line("run --tagz backend -- true");
        assertEquals(2, expected.exit(), expected.all());
        assertEquals(expected.exit(), r.exit(), r.all());
        assertEquals(expected.err(), r.err());
        assertTrue(server.requests.isEmpty(), "no secret was fetched: " + server.requests);
        Headless.Result plain = line("run --quiet echo --help");
        assertEquals(0, plain.exit(), "the first word ends run's options: " + plain.all());
    }

    @Test
    void listHelpInsideTheShellIsNotAnUnknownOption() {
        Headless.Result r = line("secrets list --help");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("Usage: crate secrets list [options]"), r.out());
        assertFalse(r.all().contains("unknown"), r.all());
    }

    @Test
    void helpOfAnUnknownCommandInsideTheShellIsTheOneShotUsageError() {
        Headless.Result expected = outside("help", "secrets", "frobnicate");
        Headless.Result r = line("help secrets frobnicate");
        assertEquals(2, expected.exit(), expected.all());
        assertEquals(expected.exit(), r.exit());
        assertEquals(expected.err(), r.err());
        assertEquals("", r.out());
    }
}
