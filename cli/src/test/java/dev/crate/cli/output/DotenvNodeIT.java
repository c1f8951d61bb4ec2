package dev.crate.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crate.cli.client.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What {@code crate export} writes, read by the maintained npm {@code dotenv} parser: every tricky
 * value must come back verbatim. The package is installed into target/ for the test (no lockfile).
 */
class DotenvNodeIT {
    @Test
    void nodeDotenvReadsBackEveryValueVerbatim() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "needs node and npm");
        Path dir = Path.of("target", "node-dotenv").toAbsolutePath();
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir.resolve("node_modules/dotenv"))) {
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-save",
                            "--no-package-lock",
                            "--no-audit",
                            "--no-fund",
                            "--prefix",
                            dir.toString(),
                            "dotenv@16")
                    .redirectErrorStream(true)
                    .start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(
                    npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0, "npm install dotenv failed: " + log);
        }
        Map<String, String> values = DotenvTest.tricky();
        Path env = dir.resolve("export.env");
        Files.writeString(env, Dotenv.write(values), StandardCharsets.UTF_8);
        Process node = new ProcessBuilder(
                        "node",
                        "-e",
                        "const d=require('dotenv');const fs=require('fs');process.stdout.write(JSON.stringify(d.parse(fs.readFileSync(process.argv[1]))))",
                        env.toString())
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String parsed = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.waitFor());
        assertEquals(values, Json.MAPPER.readValue(parsed, new TypeReference<Map<String, String>>() {}));
    }

    private static boolean onPath(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
