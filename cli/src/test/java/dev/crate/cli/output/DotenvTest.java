package dev.crate.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crate.cli.client.CliException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotenvTest {
    @TempDir
    Path dir;

    /** Values node {@code dotenv} reads back verbatim from what {@link Dotenv#write} makes (DotenvNodeIT). */
    static Map<String, String> tricky() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PLAIN", "sk_test_12345");
        values.put("HASH", "a#b # c");
        values.put("EQUALS", "k=v=w");
        values.put("SINGLE", "it's");
        values.put("DOUBLE", "say \"hi\"");
        values.put("NEWLINES", "line1\nline2\n");
        values.put("UNICODE", "hello wörld 🔑");
        values.put("SPACES", "  padded  ");
        values.put("BACKSLASH", "C:\\path\\n");
        values.put("SUBSTITUTION", "$(touch marker)");
        values.put("BACKTICKS", "`touch marker`");
        values.put("EXPANSION", "${HOME} $HOME $0 $$");
        return values;
    }

    /** Values written the shell's way ({@code '\''}), which a shell and {@link Dotenv#read} read back, the loaders not. */
    static Map<String, String> shellQuoted() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("BOTH_QUOTES", "it's \"quoted\"");
        values.put("QUOTE_SUBSTITUTION", "it's $(touch marker)");
        values.put("QUOTE_BACKTICKS", "'`touch marker`'");
        values.put("QUOTE_EXPANSION", "'${HOME}'\n'$HOME' \\'");
        values.put("QUOTE_BACKSLASH", "\\'\\\\''\\");
        values.put("EVERYTHING", " $(touch marker) `touch marker` ${HOME} ' \" \\ \n # x ");
        return values;
    }

    static Map<String, String> all() {
        Map<String, String> values = new LinkedHashMap<>(tricky());
        values.putAll(shellQuoted());
        return values;
    }

    @Test
    void roundTripsQuotesHashesEqualsNewlinesAndUnicode() {
        Map<String, String> values = all();
        assertEquals(values, Dotenv.read(Dotenv.write(values)));
    }

    /** {@code . ./file} in sh (and bash) gives each variable exactly its value, and runs nothing. */
    @Test
    void sourcingTheFileInAPosixShellRunsNothingAndKeepsEveryValue() throws Exception {
        Path file = dir.resolve("secrets.env");
        Map<String, String> values = all();
        Files.writeString(file, Dotenv.write(values), StandardCharsets.UTF_8);
        int shells = 0;
        for (String shell : List.of("sh", "bash", "dash")) {
            if (!onPath(shell)) {
                continue;
            }
            shells++;
            for (Map.Entry<String, String> e : values.entrySet()) {
                Process p = new ProcessBuilder(shell, "-c", ". ./secrets.env; printf %s \"$" + e.getKey() + "\"")
                        .directory(dir.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), shell + " " + e.getKey());
                assertEquals(e.getValue(), out, shell + " " + e.getKey());
            }
        }
        Assumptions.assumeTrue(shells > 0, "no POSIX shell");
        assertFalse(Files.exists(dir.resolve("marker")), "sourcing the file ran a command");
    }

    @Test
    void readsTheShellsQuoting() {
        assertEquals(Map.of("A", "it's", "B", "'x'"), Dotenv.read("A='it'\\''s'\nB=''\\''x'\\'''\n"));
    }

    @Test
    void refusesANameAShellWouldRun() {
        assertThrows(CliException.class, () -> Dotenv.write(Map.of("A;touch x", "v")));
    }

    @Test
    void readsUnquotedValuesWithInlineCommentsAndExport() {
        Map<String, String> read =
                Dotenv.read("# comment\nexport A=1\nB = two words # note\nC=\"x\\ny\"\n\nD='#not a comment'\n");
        assertEquals(Map.of("A", "1", "B", "two words", "C", "x\ny", "D", "#not a comment"), read);
    }

    @Test
    void laterDuplicatesWin() {
        assertEquals(Map.of("A", "2"), Dotenv.read("A=1\nA=2\n"));
    }

    private static boolean onPath(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
