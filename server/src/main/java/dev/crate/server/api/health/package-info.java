/**
 * Readiness and liveness checks: the database answers and the root key still opens the stored org
 * keys. It may use {@code keys} and {@code config}.
 */
package dev.crate.server.api.health;
