package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An API key as listed: never its secret part; {@code prefix} helps recognise it. */
public record ApiKey(
        UUID id,
        String name,
        String role,
        String prefix,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("last_used_at") OffsetDateTime lastUsedAt) {
}
