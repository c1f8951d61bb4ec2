package dev.crate.cli.live;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a burst of triggers into one action: each trigger restarts a quiet period, and the action runs once
 * when the period passes without another trigger. Actions run on the given executor, one at a time (a single
 * thread executor keeps them from overlapping).
 */
public final class Debouncer {
    private final ScheduledExecutorService executor;
    private final long quietNanos;
    private final Runnable action;
    private ScheduledFuture<?> pending;

    public Debouncer(ScheduledExecutorService executor, Duration quiet, Runnable action) {
        this.executor = executor;
        this.quietNanos = quiet.toNanos();
        this.action = action;
    }

    /** Runs the action after the quiet period, unless another trigger comes first. */
    public synchronized void trigger() {
        triggerAfter(Duration.ofNanos(quietNanos));
    }

    /** The same, with a delay of its own (a retry after a failure waits longer than a quiet period). */
    public synchronized void triggerAfter(Duration delay) {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = executor.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
