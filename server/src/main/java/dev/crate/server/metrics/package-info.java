/**
 * The server's Micrometer meters ({@code CrateMetrics}): counters and timers for writes, reads,
 * failures, rotations and the audit trail; never a secret in a label. It uses nothing else of the
 * server.
 */
package dev.crate.server.metrics;
