package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A new API key with its secret {@code key}, shown this once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedApiKey(
        UUID id,
        String name,
        String role,
        String prefix,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        Map<String, List<String>> grants,
        List<String> environments,
        List<String> tags,
        @JsonProperty("read_only") boolean readOnly,
        String key) {

    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", name=" + name + ", role=" + role + ", key=REDACTED]";
    }
}
