package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** One version of an org key: {@code active}, {@code retiring} (still wraps some keys) or {@code retired} (destroyed). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrgKeyVersion(
        int version,
        String state,
        @JsonProperty("root_kid") String rootKid,
        @JsonProperty("wrap_count") long wrapCount,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("retired_at") OffsetDateTime retiredAt) {}
