/**
 * Writing the audit trail: entries, the per-org hash chain, {@code AuditService} (a change's
 * record in its transaction, reads and denials by group commit) and the tables {@code
 * audit_events}, {@code audit_heads} and {@code audit_checkpoints}. The lowest feature package: it
 * may use {@code domain}, {@code support}, {@code config} and {@code metrics} only, so that every
 * feature can record. See ARCHITECTURE.md, sections 2 and 4.
 */
package dev.crate.server.audit;
