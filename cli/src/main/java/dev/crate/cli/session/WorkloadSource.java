package dev.crate.cli.session;

import dev.crate.cli.client.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the platform's identity token comes from (a GitHub Actions or GitLab CI ID token, a Kubernetes
 * projected service-account token): a file, read anew on every exchange because platforms rotate it, or the
 * variable {@code CRATE_WORKLOAD_TOKEN}. {@link #label()} names the source in messages; the token is never
 * part of a message, and {@link #toString()} leaves it out.
 */
public final class WorkloadSource {
    public static final String TOKEN_VARIABLE = "CRATE_WORKLOAD_TOKEN";
    public static final String FILE_VARIABLE = "CRATE_WORKLOAD_TOKEN_FILE";
    /** Platform tokens are a few kilobytes; anything this large is not one. */
    static final int MAX_BYTES = 64 * 1024;

    private static final Pattern JWT = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");

    private final String label;
    private final Path file;
    private final String value;

    private WorkloadSource(String label, Path file, String value) {
        this.label = label;
        this.file = file;
        this.value = value;
    }

    /**
     * {@code CRATE_WORKLOAD_TOKEN_FILE} or {@code CRATE_WORKLOAD_TOKEN}, if either is set; both at once is a
     * mistake the CLI refuses rather than guess which one was meant.
     */
    public static Optional<WorkloadSource> fromEnvironment(Host host) {
        String file = host.env(FILE_VARIABLE);
        String value = host.env(TOKEN_VARIABLE);
        if (file != null && value != null) {
            throw new CliException(
                    "both " + FILE_VARIABLE + " and " + TOKEN_VARIABLE + " are set: set only one of them");
        }
        if (file != null) {
            Path path = host.cwd().resolve(file.trim()).toAbsolutePath().normalize();
            return Optional.of(new WorkloadSource(FILE_VARIABLE + " (" + path + ")", path, null));
        }
        return value == null ? Optional.empty() : Optional.of(new WorkloadSource(TOKEN_VARIABLE, null, value));
    }

    /** A token file named some other way ({@code crate login --workload-token-file}); {@code how} says which. */
    public static WorkloadSource ofFile(Path file, String how) {
        Path path = file.toAbsolutePath().normalize();
        return new WorkloadSource(how + " (" + path + ")", path, null);
    }

    /** Whether either variable is set (to tell that {@code CRATE_TOKEN} wins over it). */
    public static Optional<String> variableSet(Host host) {
        return host.env(FILE_VARIABLE) != null
                ? Optional.of(FILE_VARIABLE)
                : Optional.ofNullable(host.env(TOKEN_VARIABLE) == null ? null : TOKEN_VARIABLE);
    }

    /** Names the source in messages: the variable, or the file and how it was given. */
    public String label() {
        return label;
    }

    /** The token file, if the token comes from one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The token as it is now: a file is read anew on every call (Kubernetes replaces it before it expires). */
    public String read() {
        String token = file == null ? value : readFile();
        token = token.trim();
        if (token.isEmpty()) {
            throw new CliException(label + " is empty: it should hold the platform's identity token");
        }
        if (!JWT.matcher(token).matches()) {
            throw new CliException(label + " does not hold a JWT"
                    + (token.startsWith("{")
                            ? " but JSON: write only the token itself (for GitHub Actions, the answer's 'value')"
                            : " (three base64url parts separated by dots)"));
        }
        return token;
    }

    private String readFile() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new CliException(label + " is larger than 64 KiB: it does not hold an identity token");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + label + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read " + label + ": permission denied");
        } catch (IOException e) {
            throw new CliException("cannot read " + label + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "WorkloadSource[" + label + "]";
    }
}
