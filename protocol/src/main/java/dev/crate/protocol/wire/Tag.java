package dev.crate.protocol.wire;

public record Tag(String name, TagMetadata metadata) {}
