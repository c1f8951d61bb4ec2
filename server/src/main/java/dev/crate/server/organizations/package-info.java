/**
 * Organizations and their environments: creating an org (with its keys, admin API key and creator
 * membership), listing, environments, and the first-start bootstrap of org {@code default}; the
 * table {@code environments}. It may use {@code keys}, {@code identity}, {@code audit}, {@code
 * domain}, {@code support}, {@code config} and {@code crypto}.
 */
package dev.crate.server.organizations;
