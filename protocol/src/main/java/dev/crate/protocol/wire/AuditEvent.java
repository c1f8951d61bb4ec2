package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.OffsetDateTime;

/**
 * One audit record as listed and exported. {@code hash} is SHA-256 over the record's canonical
 * encoding and {@code prev_hash} (hex), so an export can be checked with nothing but SHA-256
 * (docs/SECURITY.md gives the encoding). Never a value or a token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "id",
    "seq",
    "occurred_at",
    "actor_type",
    "actor_id",
    "actor_name",
    "action",
    "environment",
    "name",
    "version",
    "detail",
    "outcome",
    "reason",
    "client_ip",
    "user_agent",
    "request_id",
    "prev_hash",
    "hash"
})
public record AuditEvent(
        String id,
        long seq,
        @JsonProperty("occurred_at") OffsetDateTime occurredAt,
        @JsonProperty("actor_type") String actorType,
        @JsonProperty("actor_id") String actorId,
        @JsonProperty("actor_name") String actorName,
        String action,
        String environment,
        String name,
        Integer version,
        String detail,
        String outcome,
        String reason,
        @JsonProperty("client_ip") String clientIp,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("prev_hash") String prevHash,
        String hash) {}
