/**
 * The secret change stream (docs/API.md, section 5b; ARCHITECTURE.md, sections 2 and 4.3): the table
 * {@code secret_events} (names, versions and actions, never values), written by {@code secrets} through
 * {@code SecretEvents} inside each change's transaction, and the live streams fed from it through
 * PostgreSQL {@code LISTEN/NOTIFY} ({@code notify}), with resume, heartbeats, access re-checks, limits and
 * retention. It may use {@code notify}, {@code identity}, {@code domain}, {@code support}, {@code config}
 * and {@code log}.
 */
package dev.crate.server.events;
