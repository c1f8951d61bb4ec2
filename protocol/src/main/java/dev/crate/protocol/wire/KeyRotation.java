package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/**
 * One rotation: the tier ({@code org}, {@code transport}, {@code root}), the key it replaced and the
 * key now active ({@code v3} for org key versions, a kid otherwise), who started it ({@code api},
 * {@code schedule}, {@code usage-limit}, {@code operator}), its state ({@code running} while keys are
 * re-wrapped, then {@code done}) and how many wrapped keys it has re-wrapped so far.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyRotation(
        String tier,
        @JsonProperty("from_key") String fromKey,
        @JsonProperty("to_key") String toKey,
        String trigger,
        String state,
        long rewrapped,
        @JsonProperty("started_at") OffsetDateTime startedAt,
        @JsonProperty("finished_at") OffsetDateTime finishedAt) {}
