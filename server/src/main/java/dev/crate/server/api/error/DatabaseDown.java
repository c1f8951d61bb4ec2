package dev.crate.server.api.error;

import dev.crate.server.log.LogId;
import dev.crate.server.support.DatabaseUnavailable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A request failed because PostgreSQL cannot serve right now ({@link DatabaseUnavailable}): 503 {@code
 * service_unavailable} with {@code Retry-After} for the client, one {@code CRATE-0070} line every
 * {@value #LOG_EVERY_SECONDS} seconds at most for the operator (an outage must not flood the log).
 * Shared by REST and gRPC (docs/OPERATIONS.md, section 2).
 */
public final class DatabaseDown {
    private static final Logger LOG = Logger.getLogger(DatabaseDown.class);
    private static final long LOG_EVERY_SECONDS = 10;
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
    private static final AtomicLong suppressed = new AtomicLong();

    public static final String DETAIL = "the database cannot serve requests right now; try again shortly";
    /** Seconds a client should wait before it tries again (the {@code Retry-After} header of every 503). */
    public static final String RETRY_AFTER_SECONDS = "2";

    private DatabaseDown() {}

    /** Whether {@code t} is the database being unavailable; logs it (rate-limited) when so. */
    public static boolean handle(Throwable t, String requestId) {
        String reason = DatabaseUnavailable.reason(t);
        if (reason == null) {
            return false;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS) && lastLogged.compareAndSet(last, now)) {
            LogId.DATABASE_UNAVAILABLE.log(LOG, reason, requestId, suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
        return true;
    }
}
