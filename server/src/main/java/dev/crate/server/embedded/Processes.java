package dev.crate.server.embedded;

import static dev.crate.server.embedded.Messages.describe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Runs the PostgreSQL programs and the few system tools Crate needs, in a clean C-locale environment. */
final class Processes {
    private static final List<String> SYSTEM_DIRS =
            List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/local/sbin");

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private Processes() {}

    static ProcessResult run(List<String> command, long timeoutSeconds) {
        return run(command, timeoutSeconds, null);
    }

    /** Runs a program with the given standard input (null: none), its output kept for the result. */
    static ProcessResult run(List<String> command, long timeoutSeconds, byte[] input) {
        Path out = null;
        try {
            out = Files.createTempFile("crate-embedded-pg-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(
                            input == null
                                    ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                                    : ProcessBuilder.Redirect.PIPE);
            Map<String, String> env = pb.environment();
            env.keySet()
                    .removeIf(
                            k -> k.startsWith("PG") || k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
            env.put("LC_ALL", "C");
            Process p = pb.start();
            if (input != null) {
                try (OutputStream stdin = p.getOutputStream()) {
                    stdin.write(input);
                } catch (IOException e) {
                    LOG.debugf("could not write to the standard input of %s: %s", command.get(0), describe(e));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                // the whole tree: a shell or unshare/runuser wrapper would leave its children running
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new ProcessResult(
                        -1,
                        "timed out after " + timeoutSeconds + " s: " + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new ProcessResult(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ProcessResult(-1, "could not run " + command.get(0) + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(-1, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** An absolute path to the program, looked up in PATH and the usual system directories, or null. */
    static String findExecutable(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(Arrays.asList(path.split(":")));
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static String findExecutableOr(String name) {
        String found = findExecutable(name);
        return found == null ? name : found;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
