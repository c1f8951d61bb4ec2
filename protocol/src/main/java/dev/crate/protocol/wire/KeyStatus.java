package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /organization/{id}/keys}: the org's key versions and transport keys, schedules and re-wrap progress. */
public record KeyStatus(
        @JsonProperty("org_keys") List<OrgKeyVersion> orgKeys,
        @JsonProperty("transport_keys") List<TransportKeyInfo> transportKeys,
        @JsonProperty("org_key_rotation") RotationSchedule orgKeyRotation,
        @JsonProperty("transport_key_rotation") RotationSchedule transportKeyRotation,
        RewrapProgress rewrap,
        List<KeyRotation> rotations) {}
