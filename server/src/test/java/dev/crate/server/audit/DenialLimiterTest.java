package dev.crate.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.support.Times;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Denials per kind: the first of a window written, the rest counted into one aggregate. */
class DenialLimiterTest {
    private final AtomicLong clock = new AtomicLong();
    private final DenialLimiter limiter = new DenialLimiter(Duration.ofMinutes(1), 100, clock::get);
    private final UUID org = UUID.randomUUID();

    private AuditEntry denial(String actor, String action, String reason, String requestId) {
        return new AuditEntry(
                org,
                Times.now(),
                "api_key",
                actor,
                null,
                action,
                null,
                null,
                null,
                null,
                AuditEntry.DENIED,
                reason,
                "10.0.0.1",
                "probe",
                requestId);
    }

    @Test
    void theFirstOfEachKindIsWrittenAndRepeatsAreCounted() {
        AuditEntry first = denial("k1", "access", "organization_not_found", "r0");
        assertEquals(List.of(first), limiter.admit(first));
        for (int i = 1; i <= 499; i++) {
            assertEquals(List.of(), limiter.admit(denial("k1", "access", "organization_not_found", "r" + i)));
        }
        // another action, reason or caller is another kind: its first is written too
        AuditEntry read = denial("k1", "secret.read", "organization_not_found", "x");
        assertEquals(List.of(read), limiter.admit(read));
        AuditEntry forbidden = denial("k1", "access", "forbidden", "y");
        assertEquals(List.of(forbidden), limiter.admit(forbidden));
        AuditEntry other = denial("k2", "access", "organization_not_found", "z");
        assertEquals(List.of(other), limiter.admit(other));

        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        AuditEntry next = denial("k1", "access", "organization_not_found", "r500");
        List<AuditEntry> written = limiter.admit(next);
        assertEquals(2, written.size(), "the closed window's aggregate, then the new window's first");
        AuditEntry aggregate = written.get(0);
        assertEquals(AuditEntry.DENIED, aggregate.outcome());
        assertEquals("organization_not_found", aggregate.reason());
        assertEquals("k1", aggregate.actorId());
        assertEquals("r499", aggregate.requestId(), "the last attempt's origin");
        assertTrue(aggregate.detail().contains("\"repeated\":499"), aggregate.detail());
        assertTrue(aggregate.detail().contains("\"aggregated\":true"), aggregate.detail());
        assertSame(next, written.get(1));
    }

    @Test
    void closedWindowsAreWrittenByTheSweepAndQuietOnesLeaveNoAggregate() {
        limiter.admit(denial("k1", "access", "organization_not_found", "a"));
        limiter.admit(denial("k1", "access", "organization_not_found", "b"));
        limiter.admit(denial("k1", "access", "organization_not_found", "c"));
        limiter.admit(denial("k2", "access", "organization_not_found", "only-one"));
        assertEquals(List.of(), limiter.closeExpired(), "nothing has closed yet");
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        List<AuditEntry> aggregates = limiter.closeExpired();
        assertEquals(1, aggregates.size());
        assertTrue(aggregates.get(0).detail().contains("\"repeated\":2"));
        assertEquals(0, limiter.openWindows());
    }

    @Test
    void tooManyKindsCloseEveryWindowEarlyWithoutLosingCounts() {
        DenialLimiter small = new DenialLimiter(Duration.ofMinutes(1), 2, clock::get);
        small.admit(denial("k1", "access", "organization_not_found", "a"));
        small.admit(denial("k1", "access", "organization_not_found", "b"));
        small.admit(denial("k2", "access", "organization_not_found", "c"));
        AuditEntry third = denial("k3", "access", "organization_not_found", "d");
        List<AuditEntry> written = small.admit(third);
        assertEquals(2, written.size());
        assertTrue(written.get(0).detail().contains("\"repeated\":1"));
        assertSame(third, written.get(1));
        assertEquals(1, small.openWindows());
    }

    @Test
    void aZeroWindowWritesEveryDenial() {
        DenialLimiter off = new DenialLimiter(Duration.ZERO, 2, clock::get);
        AuditEntry d = denial("k1", "access", "forbidden", "a");
        assertEquals(List.of(d), off.admit(d));
        assertEquals(List.of(d), off.admit(d));
    }
}
