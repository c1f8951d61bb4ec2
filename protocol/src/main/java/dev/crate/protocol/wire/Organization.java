package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.UUID;

public record Organization(
        UUID id, String name, @JsonProperty("created_at") OffsetDateTime createdAt) {}
