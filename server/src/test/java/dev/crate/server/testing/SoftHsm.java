package dev.crate.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fresh SoftHSM2 token for a test: its own token directory and configuration file, initialised with softhsm2-util. */
public final class SoftHsm {
    public static final String MODULE = findModule();
    public static final String USER_PIN = "5678";

    private SoftHsm() {}

    /** Where the Debian package puts the module. */
    private static String findModule() {
        for (String candidate : List.of(
                "/usr/lib/softhsm/libsofthsm2.so",
                "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/local/lib/softhsm/libsofthsm2.so")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return candidate;
            }
        }
        return "/usr/lib/softhsm/libsofthsm2.so";
    }

    /**
     * SoftHSM2 is a test dependency beside the JDK: {@code .ci/run} installs it (Debian package
     * {@code softhsm2}). Without it the HSM tests are skipped on a developer machine and fail in CI.
     */
    public static void requireInstalled() {
        boolean utility = false;
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            utility |= Files.isExecutable(Path.of(entry.isEmpty() ? "." : entry, "softhsm2-util"));
        }
        if (utility && Files.isRegularFile(Path.of(MODULE))) {
            return;
        }
        String missing =
                "SoftHSM2 is not installed (softhsm2-util and " + MODULE + "; Debian: apt-get install softhsm2)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing + ": .ci/run installs it");
        }
        org.junit.jupiter.api.Assumptions.abort(missing + "; the HSM tests are skipped");
    }

    /** A token: the configuration file that points at its directory, and its slot id. */
    public record Token(Path conf, long slot) {}

    /**
     * Writes {@code conf} (tokens in a new directory beside it) and initialises a token labelled
     * {@code label} in the first free slot, with user PIN {@link #USER_PIN}.
     */
    public static Token initToken(Path conf, String label) throws IOException, InterruptedException {
        requireInstalled();
        Files.createDirectories(conf.getParent());
        Path tokens = Files.createTempDirectory(conf.getParent(), "tokens");
        Files.writeString(
                conf,
                "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                StandardCharsets.US_ASCII);
        ProcessBuilder builder = new ProcessBuilder(
                        "softhsm2-util",
                        "--init-token",
                        "--free",
                        "--label",
                        label,
                        "--so-pin",
                        "1234",
                        "--pin",
                        USER_PIN)
                .redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
        }
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        if (!slot.find()) {
            throw new IllegalStateException("no slot in softhsm2-util's answer: " + output);
        }
        return new Token(conf, Long.parseLong(slot.group(1)));
    }
}
