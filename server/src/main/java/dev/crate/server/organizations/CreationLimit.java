package dev.crate.server.organizations;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.domain.CrateException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How many organizations one caller may create per hour on this replica ({@code
 * crate.organizations.create-per-hour}, docs/OPERATIONS.md): every creation costs an RSA-3072 key
 * generation, so the bound is taken before the key is generated and counts refused names too.
 * A sliding window of the last hour per caller (its actor), in memory.
 */
@ApplicationScoped
public class CreationLimit {
    private static final long WINDOW_NANOS = Duration.ofHours(1).toNanos();

    private final int perHour;
    private final Map<String, Deque<Long>> recent = new HashMap<>();

    CreationLimit(CrateConfig config) {
        this.perHour = Math.max(0, config.organizations().createPerHour());
    }

    /** Counts one creation by {@code actor}, or refuses it with 429 {@code rate_limited} and when to try again. */
    public void take(String actor) {
        if (perHour == 0) {
            return;
        }
        long now = System.nanoTime();
        long retryAfterNanos;
        synchronized (recent) {
            if (recent.size() > 10_000) {
                forgetIdle(now);
            }
            Deque<Long> times = recent.computeIfAbsent(actor, k -> new ArrayDeque<>());
            while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
                times.pollFirst();
            }
            if (times.size() < perHour) {
                times.addLast(now);
                return;
            }
            retryAfterNanos = WINDOW_NANOS - (now - times.peekFirst());
        }
        long seconds = Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
        throw CrateException.rateLimited(
                "this caller created " + perHour + " organizations in the last hour; try again in " + seconds
                        + " seconds",
                seconds);
    }

    private void forgetIdle(long now) {
        for (Iterator<Deque<Long>> it = recent.values().iterator(); it.hasNext(); ) {
            Deque<Long> times = it.next();
            if (times.isEmpty() || now - times.peekLast() >= WINDOW_NANOS) {
                it.remove();
            }
        }
    }
}
