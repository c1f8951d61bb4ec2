package dev.crate.cli.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code crate shell} history file (0600; Aesh writes "timestamp NUL command" lines). Lines that could carry a secret value
 * ({@code secrets set ...}, {@code login ...}) are dropped before and after every shell session, so
 * the file never keeps a value even if a session died before its own clean-up.
 */
public final class ShellHistory {
    private static final Pattern CARRIES_VALUE = Pattern.compile("(^|[\\s\\x00])(secrets\\s+set|login)(\\s|$)");

    private ShellHistory() {}

    public static boolean mayCarryValue(String line) {
        return CARRIES_VALUE.matcher(line).find();
    }

    public static void sanitize(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = lines.stream().filter(l -> !mayCarryValue(l)).collect(Collectors.toList());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            if (kept.size() != lines.size()) {
                Files.write(file, kept, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // an unreadable history is not worth failing over; it holds no values either way
        }
    }
}
