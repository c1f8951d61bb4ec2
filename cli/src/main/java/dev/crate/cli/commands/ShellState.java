package dev.crate.cli.commands;

/** Whether commands run inside {@code crate shell}, where a value typed on the line would reach the history. */
public final class ShellState {
    private static volatile boolean active;

    private ShellState() {}

    public static boolean active() {
        return active;
    }

    public static void enter() {
        active = true;
    }
}
