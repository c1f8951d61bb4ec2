package dev.crate.server.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a request last got a successful answer that needed the database (an authenticated REST call
 * answered 2xx reads the caller's key or member row). Readiness uses it: a database that refuses a
 * new connection because the role or server is at its connection limit, while this replica's pool
 * serves requests, is busy, not gone (docs/OPERATIONS.md, section 2).
 */
public final class DatabaseServed {
    private static final AtomicLong last = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    private DatabaseServed() {}

    public static void mark() {
        last.set(System.nanoTime());
    }

    /** Whether a request was served within the last {@code nanos}. */
    public static boolean within(long nanos) {
        return System.nanoTime() - last.get() < nanos;
    }
}
