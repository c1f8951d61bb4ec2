package dev.crate.protocol.wire;

import java.util.UUID;

/** One organization the caller belongs to, with its role there (in {@link Me}). */
public record Membership(UUID id, String name, String role) {}
