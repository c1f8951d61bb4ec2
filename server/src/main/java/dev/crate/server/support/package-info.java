/**
 * Small technical helpers every feature uses: {@code Times} (UTC now at PostgreSQL's precision)
 * and {@code Offload} (CPU-heavy work off the event loop). It uses nothing else of the server.
 */
package dev.crate.server.support;
