package dev.crate.server.events;

import dev.crate.protocol.wire.SecretChange;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** One stored change ({@code secret_events} row); {@code id} is the stream's event id. Never a value. */
public record SecretEvent(
        long id,
        UUID orgId,
        String environment,
        String name,
        int version,
        String action,
        List<String> tags,
        OffsetDateTime at) {

    public SecretChange toWire() {
        return new SecretChange(name, environment, version, action, tags, at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
