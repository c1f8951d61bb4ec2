package dev.crate.server.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * helm and kubectl for the deployment checks: from {@code CRATE_HELM_TOOLS} (a directory with
 * bin/helm and bin/kubectl, as .ci/helm-tools.sh makes it) or the PATH. In CI they are required;
 * elsewhere the checks that need them are skipped with a note.
 */
final class DeployTools {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private DeployTools() {}

    record Result(int exit, String output) {}

    static Path require(String tool) {
        String dir = System.getenv("CRATE_HELM_TOOLS");
        if (dir != null && Files.isExecutable(Path.of(dir, "bin", tool))) {
            return Path.of(dir, "bin", tool);
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(tool + " not found: .ci/run installs it with .ci/helm-tools.sh and sets CRATE_HELM_TOOLS");
        }
        Assumptions.abort(
                tool + " not found (run: export CRATE_HELM_TOOLS=$(.ci/helm-tools.sh /tmp/crate-helm-tools))");
        throw new IllegalStateException("unreachable");
    }

    static Result run(Path tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("crate-deploy-tool", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(REPO.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
