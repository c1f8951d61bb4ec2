package dev.crate.server.embedded;

import java.nio.file.FileSystemException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shared wording of the embedded database's messages: each one ends by saying what to do instead, and puts a
 * cause or some program output on one line.
 */
final class Messages {

    static final String ESCAPE_HATCH =
            "or set CRATE_DB_URL to use an existing PostgreSQL server instead of the embedded one.";
    static final String ALTERNATIVE =
            "Alternatively, set CRATE_DB_URL to use an existing PostgreSQL server instead of the embedded one.";

    private Messages() {}

    /** The FATAL/ERROR/HINT-like lines of some program output, on one line; or its last lines. */
    static String relevantLines(String output) {
        List<String> lines =
                output.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        List<String> relevant = lines.stream()
                .filter(l -> l.matches("(?i).*\\b(FATAL|PANIC|ERROR|error|HINT|DETAIL|cannot|could not)\\b.*"))
                .map(l -> l.replaceFirst("^\\d{4}-\\d\\d-\\d\\d [\\d:.]+ \\w+ \\[\\d+\\] ", ""))
                .collect(Collectors.toList());
        List<String> chosen = relevant.isEmpty() ? lines : relevant;
        List<String> tail = chosen.subList(Math.max(0, chosen.size() - 4), chosen.size());
        String joined = String.join(" / ", tail);
        return joined.length() > 600 ? joined.substring(0, 600) + "..." : joined;
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) t;
            String reason = f.getReason();
            message = (f.getFile() == null ? "" : f.getFile() + ": ")
                    + (reason != null ? reason : t.getClass().getSimpleName());
        }
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
