package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The first link of an audit chain that does not hold: at which seq (and record, when one is there),
 * and why: {@code record_missing}, {@code out_of_order}, {@code prev_hash_mismatch}, {@code hash_mismatch},
 * {@code head_mismatch} or {@code checkpoint_invalid}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditChainBreak(long seq, String id, String reason) {}
