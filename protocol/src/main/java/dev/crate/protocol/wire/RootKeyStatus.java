package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /operator/keys/root}: the root keys in use, which are still needed, and the root re-wrap progress. */
public record RootKeyStatus(
        @JsonProperty("active_kid") String activeKid,
        String source,
        List<RootKeyInfo> keys,
        @JsonProperty("no_longer_needed") List<String> noLongerNeeded,
        RewrapProgress rewrap,
        List<KeyRotation> rotations) {}
