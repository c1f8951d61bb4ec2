package dev.crate.protocol.wire;

public record CreateOrganizationRequest(String name) {}
