package dev.crate.cli.commands.run;

import dev.crate.cli.client.CliException;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --watch}, {@code --watch-signal} and {@code --env-file} options of {@code crate run}; {@link #NONE}
 * when none is given (the lean path never sees them).
 */
public record RunWatch(boolean watch, String signal, String envFile) {
    public static final RunWatch NONE = new RunWatch(false, null, null);

    /** Signals a child may be told to reload with; {@code kill -s} knows them all. */
    static final List<String> SIGNALS = List.of("HUP", "USR1", "USR2", "INT", "QUIT", "TERM", "WINCH");

    /** The signal's bare name ({@code SIGHUP} and {@code hup} give {@code HUP}); a usage error for any other. */
    public RunWatch validated() {
        if (signal == null) {
            if (envFile != null && envFile.isBlank()) {
                throw CliException.usage("--env-file needs a file name");
            }
            return this;
        }
        if (!watch) {
            throw CliException.usage("--watch-signal needs --watch");
        }
        if (envFile == null || envFile.isBlank()) {
            throw CliException.usage("--watch-signal needs --env-file: the child reads its new values from that file");
        }
        String bare = signal.trim().toUpperCase(Locale.ROOT);
        bare = bare.startsWith("SIG") ? bare.substring(3) : bare;
        if (!SIGNALS.contains(bare)) {
            throw CliException.usage("unknown signal '" + signal + "': use one of SIG" + String.join(", SIG", SIGNALS));
        }
        return new RunWatch(true, bare, envFile);
    }
}
