package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A membership; {@code subject} is absent while it is addressed to an email nobody has logged in with yet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Member(
        UUID id,
        String subject,
        String email,
        String name,
        String role,
        Map<String, List<String>> grants,
        @JsonProperty("created_at") OffsetDateTime createdAt) {}
