package dev.crate.cli.client;

/**
 * A failure the CLI reports as one line and an exit code. Messages name what went wrong and what
 * to do, never a secret value, a token or a stack trace.
 */
public class CliException extends RuntimeException {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final int exitCode;
    private final boolean helpHint;

    public CliException(String message) {
        this(message, FAILURE);
    }

    public CliException(String message, int exitCode) {
        this(message, exitCode, exitCode == USAGE);
    }

    private CliException(String message, int exitCode, boolean helpHint) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.helpHint = helpHint;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Whether the message is followed by where the command's help is (usage errors of the command line). */
    public boolean helpHint() {
        return helpHint;
    }

    /**
     * Settings that contradict each other (a project file naming another server than the credential's): exit code
     * 2 like a usage error, but one line only, since the command's help would not tell how to resolve it.
     */
    public static CliException conflict(String message) {
        return new CliException(message, USAGE, false);
    }

    /** A mistake in how the command was called: exit code 2. */
    public static CliException usage(String message) {
        return new CliException(message, USAGE);
    }
}
