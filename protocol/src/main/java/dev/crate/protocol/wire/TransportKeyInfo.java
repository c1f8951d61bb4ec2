package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** A transport key pair: {@code active} (published), {@code grace} (still opens values until {@code grace_until}) or {@code disabled}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransportKeyInfo(
        String kid,
        String state,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("grace_until") OffsetDateTime graceUntil) {}
