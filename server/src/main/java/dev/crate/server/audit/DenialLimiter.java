package dev.crate.server.audit;

import dev.crate.server.support.Times;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Bounds the denied attempts one caller can put on an org's audit chain (docs/SECURITY.md, "Denied
 * attempts"). Per kind of denial (org, caller, action, reason) the first of a window is written as it
 * is; the ones after it in the same window are only counted, and written as one aggregate record (the
 * count, the first and last time, the last attempt's origin) when the window closes: on the kind's next
 * denial after it, or on a periodic {@link #closeExpired}. Kept per replica, in memory: with N replicas
 * a caller gets at most N first records and N aggregates per kind and window; a replica that stops
 * writes what it counted ({@link #closeAll}); one that dies loses its counts, never a first record.
 */
final class DenialLimiter {
    /** What makes two denials the same kind. */
    record Kind(UUID orgId, String actorType, String actorId, String action, String reason) {
        static Kind of(AuditEntry e) {
            return new Kind(e.orgId(), e.actorType(), e.actorId(), e.action(), e.reason());
        }
    }

    private static final class Window {
        final long opened;
        int repeats;
        OffsetDateTime firstRepeat;
        AuditEntry last;

        Window(long opened) {
            this.opened = opened;
        }
    }

    private final Map<Kind, Window> windows = new ConcurrentHashMap<>();
    private final long windowNanos;
    private final int maxKinds;
    private final LongSupplier nanoClock;

    /**
     * @param window how long repeats of a kind are only counted; zero writes every denial
     * @param maxKinds kinds tracked at once; beyond it every open window is closed (its aggregate written)
     * @param nanoClock {@link System#nanoTime} in production
     */
    DenialLimiter(Duration window, int maxKinds, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.maxKinds = maxKinds;
        this.nanoClock = nanoClock;
    }

    /** The records to write for this denial now, in order: none, the denial itself, or an aggregate and it. */
    List<AuditEntry> admit(AuditEntry denial) {
        if (windowNanos <= 0) {
            return List.of(denial);
        }
        long now = nanoClock.getAsLong();
        List<AuditEntry> out = new ArrayList<>(2);
        if (windows.size() >= maxKinds && !windows.containsKey(Kind.of(denial))) {
            out.addAll(closeAll());
        }
        windows.compute(Kind.of(denial), (kind, window) -> {
            if (window != null && now - window.opened < windowNanos) {
                window.repeats++;
                if (window.firstRepeat == null) {
                    window.firstRepeat = denial.occurredAt();
                }
                window.last = denial;
                return window;
            }
            if (window != null && window.repeats > 0) {
                out.add(aggregate(window));
            }
            out.add(denial);
            return new Window(now);
        });
        return out;
    }

    /** Aggregates of the windows that have closed; they are forgotten. */
    List<AuditEntry> closeExpired() {
        long now = nanoClock.getAsLong();
        return close(w -> now - w.opened >= windowNanos);
    }

    /** Aggregates of every open window (shutdown, too many kinds); all are forgotten. */
    List<AuditEntry> closeAll() {
        return close(w -> true);
    }

    int openWindows() {
        return windows.size();
    }

    private List<AuditEntry> close(java.util.function.Predicate<Window> which) {
        List<AuditEntry> out = new ArrayList<>();
        for (Kind kind : List.copyOf(windows.keySet())) {
            windows.computeIfPresent(kind, (k, w) -> {
                if (!which.test(w)) {
                    return w;
                }
                if (w.repeats > 0) {
                    out.add(aggregate(w));
                }
                return null;
            });
        }
        return out;
    }

    /**
     * One record for the repeats of a window, dated when it is written: the last attempt's target and
     * origin, how many there were and when the first and last came.
     */
    private static AuditEntry aggregate(Window w) {
        AuditEntry last = w.last;
        String detail = "{\"aggregated\":true,\"first_at\":\"" + w.firstRepeat + "\",\"last_at\":\"" + last.occurredAt()
                + "\",\"repeated\":" + w.repeats + "}";
        return new AuditEntry(
                last.orgId(),
                Times.now(),
                last.actorType(),
                last.actorId(),
                last.actorName(),
                last.action(),
                last.environment(),
                last.name(),
                null,
                detail,
                AuditEntry.DENIED,
                last.reason(),
                last.clientIp(),
                last.userAgent(),
                last.requestId());
    }
}
