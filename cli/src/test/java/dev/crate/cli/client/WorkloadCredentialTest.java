package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.cli.session.Host;
import dev.crate.cli.session.WorkloadSource;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file is read again for every exchange, and an exchange happens only when the Crate token runs out. */
class WorkloadCredentialTest {
    private static final String JWT_A = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnLWE";
    private static final String JWT_B = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiIn0.c2lnLWI";

    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private Host host(Map<String, String> env) {
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
        return new Host(env, dir, sink, sink, new ByteArrayInputStream(new byte[0]));
    }

    private WorkloadSource fileSource(Path file) {
        return WorkloadSource.fromEnvironment(host(Map.of("CRATE_WORKLOAD_TOKEN_FILE", file.toString())))
                .orElseThrow();
    }

    @Test
    void theFileIsReadAgainWhenTheCrateTokenIsAboutToExpire() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, JWT_A + "\n");
        TestClock clock = new TestClock();
        List<String> exchanged = new ArrayList<>();
        WorkloadCredential credential = new WorkloadCredential(
                fileSource(file),
                subject -> {
                    exchanged.add(subject);
                    return new WorkloadExchange.Issued("crate_wl_" + exchanged.size(), clock.now.plusSeconds(900), "b");
                },
                clock);

        assertEquals("crate_wl_1", credential.token());
        Files.writeString(file, JWT_B); // the platform rotates the token
        clock.now = clock.now.plusSeconds(800);
        assertEquals("crate_wl_1", credential.token(), "still valid: no exchange");
        assertEquals(List.of(JWT_A), exchanged);

        clock.now = clock.now.plusSeconds(75); // 25 s left: within the margin
        assertEquals("crate_wl_2", credential.token());
        assertEquals(List.of(JWT_A, JWT_B), exchanged, "the rotated token was read from the file");
    }

    @Test
    void anUnknownExpiryMeansAnExchangeForEveryUse() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, JWT_A);
        List<String> exchanged = new ArrayList<>();
        WorkloadCredential credential = new WorkloadCredential(
                fileSource(file),
                subject -> {
                    exchanged.add(subject);
                    return new WorkloadExchange.Issued("t", null, null);
                },
                new TestClock());
        credential.token();
        credential.token();
        assertEquals(2, exchanged.size());
    }

    @Test
    void badFilesAreNamedButTheirContentIsNot() throws Exception {
        Path file = dir.resolve("token");
        assertMessage(fileSource(file), "cannot read CRATE_WORKLOAD_TOKEN_FILE (" + file + "): no such file");
        Files.writeString(file, "  \n");
        assertMessage(fileSource(file), "CRATE_WORKLOAD_TOKEN_FILE (" + file + ") is empty");
        Files.writeString(file, "{\"count\":1,\"value\":\"" + JWT_A + "\"}");
        String json = assertMessage(fileSource(file), "does not hold a JWT but JSON");
        assertFalse(json.contains(JWT_A), json);
        Files.writeString(file, "not-a-token-canary");
        String garbage = assertMessage(fileSource(file), "does not hold a JWT");
        assertFalse(garbage.contains("canary"), garbage);
        Files.write(file, new byte[70_000]);
        assertMessage(fileSource(file), "larger than 64 KiB");
    }

    @Test
    void aRelativeFileIsTakenFromTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("tok"), JWT_B);
        WorkloadSource source = WorkloadSource.fromEnvironment(host(Map.of("CRATE_WORKLOAD_TOKEN_FILE", "tok")))
                .orElseThrow();
        assertEquals(JWT_B, source.read());
        assertEquals(dir.resolve("tok"), source.file().orElseThrow());
    }

    @Test
    void theVariableHoldsTheTokenItselfAndIsNeverShown() {
        Map<String, String> env = new HashMap<>();
        env.put("CRATE_WORKLOAD_TOKEN", JWT_A);
        WorkloadSource source = WorkloadSource.fromEnvironment(host(env)).orElseThrow();
        assertEquals(JWT_A, source.read());
        assertEquals("CRATE_WORKLOAD_TOKEN", source.label());
        assertFalse(source.toString().contains(JWT_A));
        env.put("CRATE_WORKLOAD_TOKEN_FILE", "/x");
        CliException both = assertThrows(CliException.class, () -> WorkloadSource.fromEnvironment(host(env)));
        assertTrue(both.getMessage().contains("set only one"), both.getMessage());
        assertFalse(both.getMessage().contains(JWT_A));
    }

    @Test
    void expiresSoonKeepsAMarginOfThirtySeconds() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertFalse(WorkloadCredential.expiresSoon(now.plusSeconds(31), now));
        assertTrue(WorkloadCredential.expiresSoon(now.plusSeconds(30), now));
        assertTrue(WorkloadCredential.expiresSoon(null, now));
        assertFalse(new WorkloadExchange.Issued("secret-canary", now, "b")
                .toString()
                .contains("canary"));
    }

    private static String assertMessage(WorkloadSource source, String expected) {
        CliException e = assertThrows(CliException.class, source::read);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(CliException.FAILURE, e.exitCode());
        return e.getMessage();
    }
}
