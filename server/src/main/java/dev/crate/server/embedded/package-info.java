/**
 * The private PostgreSQL server Crate starts when no external database is configured: unpacking its binaries,
 * creating and securing the cluster in the data directory, running the server (as an unprivileged user when Crate
 * runs as root) and stopping it. {@link dev.crate.server.embedded.EmbeddedDatabase} and
 * {@link dev.crate.server.embedded.EmbeddedDatabaseException} are its only public types; it imports nothing else of
 * the server.
 */
package dev.crate.server.embedded;
