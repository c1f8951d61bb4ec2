package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** {@code role} is {@code admin}, {@code member} or {@code viewer}; {@code expires_at} is optional. */
public record CreateApiKeyRequest(String name, String role, @JsonProperty("expires_at") OffsetDateTime expiresAt) {
}
