package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An API key as listed: never its secret part; {@code prefix} helps recognise it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKey(
        UUID id,
        String name,
        String role,
        String prefix,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("last_used_at") OffsetDateTime lastUsedAt,
        Map<String, List<String>> grants,
        List<String> environments,
        List<String> tags,
        @JsonProperty("read_only") boolean readOnly) {}
