package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /organization/{id}/secrets/{name}/versions}: the kept versions, newest first; never values. */
public record SecretVersionList(
        String name,
        String environment,
        @JsonProperty("current_version") int currentVersion,
        boolean deleted,
        boolean purged,
        List<SecretVersion> versions) {}
