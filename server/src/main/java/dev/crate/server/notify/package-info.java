/**
 * Generic PostgreSQL {@code LISTEN/NOTIFY}: {@code Notifications} keeps one dedicated connection that
 * listens on the channels subscribers name and comes back after a drop; {@code Publish} sends a
 * notification on a writer's own transaction, so it goes out on commit and never for a rollback. Payloads
 * are ids, never values. It uses only {@code log} and {@code config}. See ARCHITECTURE.md, section 2.
 */
package dev.crate.server.notify;
