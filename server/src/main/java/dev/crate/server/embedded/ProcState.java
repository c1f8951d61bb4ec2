package dev.crate.server.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about a process id. */
enum ProcState {
    RUNNING,
    ZOMBIE,
    GONE;

    static ProcState of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String rest = stat.substring(stat.lastIndexOf(')') + 1).trim();
            char state = rest.isEmpty() ? '?' : rest.charAt(0);
            return state == 'Z' || state == 'X' ? ZOMBIE : RUNNING;
        } catch (IOException | RuntimeException e) {
            return GONE;
        }
    }
}
