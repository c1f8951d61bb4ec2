package dev.crate.server.audit;

/** A record in its org's chain: position {@code seq}, the hash of the record before, and its own hash. */
public record ChainedEvent(java.util.UUID id, long seq, AuditEntry entry, byte[] prevHash, byte[] hash) {}
