/**
 * Reading the audit trail: listing, export (JSON lines, CSV), chain verification and retention
 * with its HMAC-authenticated checkpoints. It sits above {@code keys} (the checkpoint MAC uses an
 * org key) and may use {@code audit}, {@code keys}, {@code identity}, {@code domain}, {@code
 * support}, {@code config} and {@code crypto}.
 */
package dev.crate.server.audit.trail;
