package dev.crate.protocol.wire;

public record CreateEnvironmentRequest(String name) {}
