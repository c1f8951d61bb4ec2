package dev.crate.server.embedded;

import static dev.crate.server.embedded.Messages.relevantLines;

/** The exit code and the merged output of a program run by {@link Processes}. */
final class ProcessResult {
    final int exitCode;
    final String output;

    ProcessResult(int exitCode, String output) {
        this.exitCode = exitCode;
        this.output = output;
    }

    /** ": <the relevant output lines>" or "" if there was no output. */
    String summary() {
        String s = relevantLines(output);
        return s.isEmpty() ? " (exit code " + exitCode + ")" : " (exit code " + exitCode + "): " + s;
    }
}
