/**
 * Secrets, their versions and the tag catalog: store, list, retrieve, delete, history (versions,
 * rollback, restore, purge) and version retention; the tables {@code secrets}, {@code
 * secret_versions} and {@code tags}. It may use {@code organizations}, {@code keys}, {@code
 * identity}, {@code audit}, {@code events}, {@code crypto}, {@code domain}, {@code support}, {@code config} and
 * {@code metrics}. See ARCHITECTURE.md, section 4.
 */
package dev.crate.server.secrets;
