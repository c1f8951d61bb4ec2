package dev.crate.cli.client;

/**
 * A failure the CLI reports as one line and an exit code. Messages name what went wrong and what
 * to do, never a secret value, a token or a stack trace.
 */
public class CliException extends RuntimeException {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILURE);
    }

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A mistake in how the command was called: exit code 2. */
    public static CliException usage(String message) {
        return new CliException(message, USAGE);
    }
}
