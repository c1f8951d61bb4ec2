package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A root key kid the installation knows of: configured on this server or not, the active one or not,
 * how many org keys it still wraps, and whether it is still needed (it wraps at least one).
 */
public record RootKeyInfo(
        String kid,
        boolean configured,
        boolean active,
        @JsonProperty("org_keys") long orgKeys,
        boolean needed) {}
