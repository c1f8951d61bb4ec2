package dev.crate.protocol.wire;

/** {@code POST /organization/{id}/keys/rotate}: which tier to rotate, {@code org} or {@code transport}. */
public record RotateKeysRequest(String tier) {}
