package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * {@code role} is {@code admin}, {@code member} or {@code viewer} (default admin); a member key gets
 * {@code grants} per environment. {@code environments} and {@code tags} narrow what the key sees;
 * {@code read_only} takes every write away; {@code expires_at} is optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateApiKeyRequest(
        String name,
        String role,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        Map<String, List<String>> grants,
        List<String> environments,
        List<String> tags,
        @JsonProperty("read_only") Boolean readOnly) {

    public CreateApiKeyRequest(String name, String role, OffsetDateTime expiresAt) {
        this(name, role, expiresAt, null, null, null, null);
    }
}
