package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of audit records, newest first; {@code next_cursor} fetches the next (older) page, absent at the end. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEventList(
        List<AuditEvent> events,
        @JsonProperty("next_cursor") String nextCursor) {}
