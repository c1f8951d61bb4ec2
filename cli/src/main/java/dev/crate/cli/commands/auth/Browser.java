package dev.crate.cli.commands.auth;

import java.io.File;
import java.io.IOException;

/** Opens a URL in the user's browser when there is one to open; silent otherwise. */
final class Browser {
    private Browser() {}

    static void open(String url) {
        String opener = System.getProperty("os.name", "").toLowerCase().contains("mac")
                ? "open"
                : System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null ? "xdg-open" : null;
        if (opener == null || !onPath(opener)) {
            return;
        }
        try {
            new ProcessBuilder(opener, url)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            // the URL is printed anyway
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
