package dev.crate.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Phase stamps for start-up work: with {@code CRATE_DEBUG_TIMING=1} each {@link #mark} prints one line
 * to stderr: wall time since the launcher started (when {@code bin/crate} passed it) and since the
 * previous mark, and the CPU time this thread and the whole process used since the previous mark
 * (from Linux's {@code /proc/.../schedstat}, so a loaded machine's waiting shows apart from work).
 * Off, a mark is one boolean test and nothing else loads.
 */
public final class Timing {
    private static final boolean ON = System.getenv("CRATE_DEBUG_TIMING") != null;
    private static long previous = System.nanoTime();
    private static long previousThreadCpu;
    private static long previousProcessCpu;

    private Timing() {}

    public static void mark(String phase) {
        if (ON) {
            print(phase);
        }
    }

    private static synchronized void print(String phase) {
        long now = System.nanoTime();
        long threadCpu = cpuNanos(Path.of("/proc/thread-self/schedstat"));
        long processCpu = processCpuNanos();
        System.err.printf(
                "crate timing: %-20s %s%+7.1f ms wall, cpu %+6.1f ms this thread, %+6.1f ms process (total %.0f)%n",
                phase,
                sinceLauncher(),
                (now - previous) / 1e6,
                (threadCpu - previousThreadCpu) / 1e6,
                (processCpu - previousProcessCpu) / 1e6,
                processCpu / 1e6);
        previous = now;
        previousThreadCpu = threadCpu;
        previousProcessCpu = processCpu;
    }

    private static long processCpuNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                sum += cpuNanos(task.resolve("schedstat"));
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    /** The first field of schedstat: nanoseconds spent running on a CPU. */
    private static long cpuNanos(Path schedstat) {
        try {
            String text = Files.readString(schedstat);
            return Long.parseLong(text.substring(0, text.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The launcher exports its start as $EPOCHREALTIME (seconds with microseconds). */
    private static String sinceLauncher() {
        String started = System.getenv("CRATE_LAUNCHED_AT");
        if (started == null) {
            return "";
        }
        try {
            double ms = System.currentTimeMillis() - Double.parseDouble(started) * 1000;
            return String.format("at %6.0f ms, ", ms);
        } catch (NumberFormatException e) {
            return "";
        }
    }
}
