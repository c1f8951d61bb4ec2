package dev.crate.protocol.wire;

/** {@code POST /organization/{id}/secrets/{name}/rollback}: the version whose value becomes the next version. */
public record RollbackRequest(Integer version) {}
