/**
 * Rotation of all three key tiers: {@code RotationEngine} starts one in a short transaction,
 * {@code RewrapJob} re-wraps in batches on one replica at a time, {@code KeyStatusQueries}
 * reports, {@code KeyRotationService} is the API's entry; the table {@code key_rotations}. It may
 * use {@code keys}, {@code crypto}, {@code audit}, {@code identity}, {@code domain}, {@code
 * support}, {@code config} and {@code metrics}. See ARCHITECTURE.md, section 3.4.
 */
package dev.crate.server.keys.rotation;
