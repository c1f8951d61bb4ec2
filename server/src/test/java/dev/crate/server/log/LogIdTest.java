package dev.crate.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The log-id catalog: ids unique, every id in docs/OPERATIONS.md's table, no {@code CRATE-NNNN} written
 * elsewhere in the server's main sources, and the lines read as they did before the catalog.
 */
class LogIdTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path MAIN = REPO.resolve("server/src/main/java");
    private static final Path CATALOG = MAIN.resolve("dev/crate/server/log/LogId.java");
    private static final Path OPERATIONS = REPO.resolve("docs/OPERATIONS.md");

    /**
     * Main-source folders still allowed to write ids in their own strings, until they log through the
     * catalog. embedded/ is being split; it logs no id today, but wire any it gets after the split into
     * LogId, then empty this list.
     */
    private static final List<String> NOT_YET_ON_THE_CATALOG = List.of("dev/crate/server/embedded/");

    /** Ids in docs/OPERATIONS.md's table that the server catalog does not log (e.g. printed by the CLI). None. */
    private static final List<String> DOCUMENTED_OUTSIDE_THE_CATALOG = List.of();

    private static final Pattern ID = Pattern.compile("CRATE-\\d");
    private static final Pattern ROW = Pattern.compile("^\\| `(CRATE-\\d{4})` \\| (\\w+) \\|.*\\|$");

    @Test
    void everyIdIsUsedOnce() {
        Map<Integer, LogId> seen = new HashMap<>();
        for (LogId entry : LogId.values()) {
            LogId before = seen.put(entry.id(), entry);
            assertTrue(before == null, entry.code() + " is both " + before + " and " + entry + ": give one a new id");
            assertTrue(entry.id() > 0 && entry.id() <= 9999, entry + ": an id has four digits");
        }
    }

    @Test
    void operationsListsEveryIdWithItsLevel() throws IOException {
        Map<String, String> rows = new HashMap<>();
        for (String line : Files.readAllLines(OPERATIONS)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertTrue(
                        rows.put(row.group(1), row.group(2)) == null,
                        row.group(1) + " has two rows in docs/OPERATIONS.md");
            }
        }
        for (LogId entry : LogId.values()) {
            assertEquals(
                    entry.level().name(),
                    rows.get(entry.code()),
                    entry.code() + " (" + entry + ") needs a row with its level in docs/OPERATIONS.md's log id table");
        }
        for (String id : rows.keySet()) {
            assertTrue(
                    DOCUMENTED_OUTSIDE_THE_CATALOG.contains(id)
                            || Stream.of(LogId.values()).anyMatch(e -> e.code().equals(id)),
                    id + " is in docs/OPERATIONS.md but nothing logs it");
        }
    }

    @Test
    void noIdIsWrittenOutsideTheCatalog() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = MAIN.relativize(file).toString().replace('\\', '/');
                if (file.equals(CATALOG) || NOT_YET_ON_THE_CATALOG.stream().anyMatch(relative::startsWith)) {
                    continue;
                }
                for (String literal : stringLiterals(Files.readString(file))) {
                    if (ID.matcher(literal).find()) {
                        found.add(relative + ": \"" + literal + "\"");
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "log ids belong in dev.crate.server.log.LogId: " + found);
    }

    @Test
    void theTextIsAsBefore() {
        // The ids logged from several places: one entry, the lines unchanged.
        assertEquals(
                "CRATE-0022 the identity provider could not verify a token (request r1): OIDCException",
                LogId.IDENTITY_PROVIDER_UNAVAILABLE.format("request r1", ": OIDCException"));
        assertEquals(
                "CRATE-0022 the identity provider could not verify a token (gRPC request r1)",
                LogId.IDENTITY_PROVIDER_UNAVAILABLE.format("gRPC request r1", ""));
        UUID org = UUID.fromString("00000000-0000-0000-0000-000000000001");
        assertEquals(
                "CRATE-0036 re-wrapping the data keys of org " + org + " failed (PgException); the next run resumes",
                LogId.ORG_ROTATION_FAILED.format(
                        "re-wrapping the data keys", org, "PgException", "; the next run resumes"));
        assertEquals(
                "CRATE-0036 rotating the org key of org " + org + " failed (PgException)",
                LogId.ORG_ROTATION_FAILED.format("rotating the org key", org, "PgException", ""));
        assertEquals(
                "CRATE-0036 rotating the transport key of org " + org + " failed (PgException)",
                LogId.ORG_ROTATION_FAILED.format("rotating the transport key", org, "PgException", ""));
        assertEquals(
                "CRATE-0600 an audit record could not be written (PgException); the operation was refused",
                LogId.AUDIT_WRITE_FAILED.format("PgException", "the operation"));
        assertEquals(
                "CRATE-0600 an audit record could not be written (PgException); the org rotation of org " + org
                        + " was refused",
                LogId.AUDIT_WRITE_FAILED.format("PgException", "the org rotation of org " + org));
        // Start-up refusals are exception messages (readiness' reason too).
        assertEquals(
                "CRATE-0002 stored org keys are wrapped by root key 'rk-old', which is not configured (configured: "
                        + "[rk-new] from env). Start with the root key that has kid 'rk-old'. Crate never replaces keys silently.",
                LogId.ROOT_KEY_NOT_CONFIGURED.format("rk-old", List.of("rk-new"), "env", "rk-old"));
        assertEquals(
                "CRATE-0003 the configured root key 'rk-1' does not open the stored org keys it claims: the key or "
                        + "the database has been altered.",
                LogId.ROOT_KEY_DOES_NOT_OPEN.format("rk-1"));
        assertEquals(
                "CRATE-0004 CRATE_BOOTSTRAP_TOKEN must be 32 to 256 characters of A-Z a-z 0-9 _ - (a key from "
                        + "'crate_' + 'openssl rand -hex 24' works); it is not used as given.",
                LogId.BOOTSTRAP_TOKEN_INVALID.format());
        assertEquals(
                "CRATE-0030 org " + org + ": org key v3 is active (was v2, scheduled); re-wrapping data keys under it",
                LogId.ORG_KEY_ROTATED.format(org, 3, 2L, "scheduled"));
    }

    @Test
    void linesGoToTheCallersLoggerAtTheEntrysLevel() {
        String category = "dev.crate.server.log.LogIdTest.capture";
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(category);
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(handler);
        java.util.logging.Level before = jul.getLevel();
        jul.setLevel(java.util.logging.Level.ALL);
        try {
            Logger log = Logger.getLogger(category);
            IllegalStateException cause = new IllegalStateException("boom");
            LogId.UNEXPECTED_REST.logWithCause(log, cause, "java.lang.IllegalStateException", "r7");
            LogId.NO_IDENTITY_PROVIDER.log(log);
            LogId.AUDIT_WRITE_FAILED.debugCause(log, cause);

            assertEquals(3, records.size());
            assertEquals(
                    "CRATE-0500 unexpected java.lang.IllegalStateException while handling request r7",
                    text(records.get(0)));
            assertEquals(cause, records.get(0).getThrown());
            assertEquals("ERROR", ((ExtLogRecord) records.get(0)).getLevel().getName());
            assertEquals(
                    "CRATE-0020 no identity provider configured (CRATE_OIDC_ISSUER): API keys only",
                    text(records.get(1)));
            assertEquals("INFO", records.get(1).getLevel().getName());
            assertEquals("CRATE-0600 cause", text(records.get(2)));
            assertEquals(cause, records.get(2).getThrown());
            assertEquals("DEBUG", records.get(2).getLevel().getName());
            // the caller (%C, %M in a log format) is the frame below LogId: the call site, not the catalog
            assertEquals(LogId.class.getName(), ((ExtLogRecord) records.get(0)).getLoggerClassName());
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(before);
        }
    }

    private static String text(LogRecord record) {
        return ((ExtLogRecord) record).getFormattedMessage();
    }

    /** The contents of the string literals and text blocks of a Java source, comments and char literals skipped. */
    static List<String> stringLiterals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end;
                literals.add(source.substring(i + 3, end));
                i = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    literals.add(source.substring(i + 1, Math.min(j, n)));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    @Test
    void theScannerFindsLiteralsNotComments() {
        String source =
                "// \"CRATE-0001 in a comment\"\n/* \"CRATE-0002\" */ char q = '\"'; String s = \"a \\\"CRATE-0003\\\" b\";\n"
                        + "String t = \"\"\"\n  CRATE-0004\n  \"\"\";";
        assertEquals(List.of("a \\\"CRATE-0003\\\" b", "\n  CRATE-0004\n  "), stringLiterals(source));
    }
}
