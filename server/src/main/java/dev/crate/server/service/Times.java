package dev.crate.server.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Now, in UTC, at the precision PostgreSQL keeps (microseconds), so a written time reads back equal. */
final class Times {
    private Times() {
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
