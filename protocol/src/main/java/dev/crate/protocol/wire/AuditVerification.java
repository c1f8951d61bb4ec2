package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /organization/{id}/audit/verify}: whether the org's chain holds from its anchor (the
 * genesis, seq 0, or the checkpoint retention left) to its head, and if not, the first link that breaks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(
        boolean intact,
        long checked,
        @JsonProperty("anchor_seq") long anchorSeq,
        @JsonProperty("last_seq") long lastSeq,
        @JsonProperty("last_hash") String lastHash,
        @JsonProperty("first_broken") AuditChainBreak firstBroken) {}
