package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/** What Crate tells about a secret without its value; this type cannot hold one. */
public record SecretMetadata(
        String name,
        String environment,
        int version,
        List<String> tags,
        @JsonProperty("updated_at") OffsetDateTime updatedAt) {}
