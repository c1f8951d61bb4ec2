package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One version of a secret, without its value: who made it when, the tags it was stored with, and
 * whether its key was destroyed by a purge (then it can never be read again).
 */
public record SecretVersion(
        int version,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("created_by") String createdBy,
        List<String> tags,
        boolean destroyed) {}
