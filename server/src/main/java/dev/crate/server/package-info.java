/**
 * The server's entry point: {@code CrateMain} starts the embedded PostgreSQL when no database is
 * configured, then Quarkus; the datasource settings and native-image registrations live here too.
 * It may use {@code embedded} only; the feature packages below are found by CDI. See
 * ARCHITECTURE.md, section 2.
 */
package dev.crate.server;
