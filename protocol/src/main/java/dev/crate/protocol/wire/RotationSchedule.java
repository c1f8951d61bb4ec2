package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** When a tier was last rotated and when the schedule rotates it next ({@code period} as ISO-8601, e.g. {@code PT2160H}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotationSchedule(
        @JsonProperty("last_rotation") OffsetDateTime lastRotation,
        @JsonProperty("next_rotation") OffsetDateTime nextRotation,
        String period) {}
