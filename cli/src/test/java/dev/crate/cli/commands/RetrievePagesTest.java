package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.output.Dotenv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server answers a retrieve without names a page at a time (docs/API.md, section 5): {@code run} and
 * {@code secrets export} ask for page after page until one has no {@code next}, and get every secret.
 */
class RetrievePagesTest {
    @TempDir
    Path dir;

    private StubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
        for (int i = 1; i <= 5; i++) {
            server.secrets.put("PAGED_" + i, "canary-page-" + i);
        }
        server.pageSize = 2;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> env() {
        return server.cliEnv(dir);
    }

    /** The {@code after} of each retrieve the CLI sent, in order (null: none). */
    private List<String> afters() {
        List<String> afters = new ArrayList<>();
        for (JsonNode request : server.retrieves) {
            assertFalse(request.has("names"), request.toString());
            afters.add(request.hasNonNull("after") ? request.get("after").asText() : null);
        }
        return afters;
    }

    @Test
    void runGetsEverySecretAcrossPages() throws Exception {
        Path out = dir.resolve("child-env");
        Headless.Result r = Headless.run(
                env(), dir, "run", "--quiet", "--", "sh", "-c", "env | grep '^PAGED_' | sort > \"$0\"", out.toString());

        assertEquals(0, r.exit(), r.all());
        Map<String, String> seen = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            int eq = line.indexOf('=');
            seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals(server.secrets, seen);
        assertEquals(java.util.Arrays.asList(null, "PAGED_2", "PAGED_4"), afters());
    }

    @Test
    void exportWritesEverySecretAcrossPages() throws Exception {
        Path file = dir.resolve("all.env");
        Headless.Result r = Headless.run(env(), dir, "secrets", "export", "--file", file.toString());

        assertEquals(0, r.exit(), r.all());
        assertEquals(server.secrets, Dotenv.read(Files.readString(file)));
        assertEquals(3, server.retrieves.size());
    }

    @Test
    void moreNamesThanOneRequestHoldsAreAskedForInParts() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            String name = String.format("MANY_%03d", i);
            names.add(name);
            server.secrets.put(name, "canary-many-" + i);
        }
        Path out = dir.resolve("child-env");
        Headless.Result r = Headless.run(
                env(),
                dir,
                "run",
                "--quiet",
                "--names",
                String.join(",", names),
                "--",
                "sh",
                "-c",
                "env | grep -c '^MANY_' > \"$0\"",
                out.toString());

        assertEquals(0, r.exit(), r.all());
        assertEquals("250", Files.readString(out).trim(), "every named secret reached the child");
        List<Integer> sizes = new ArrayList<>();
        for (JsonNode request : server.retrieves) {
            sizes.add(request.get("names").size());
        }
        assertEquals(List.of(100, 100, 50), sizes, "100 names per request at most");
    }
}
