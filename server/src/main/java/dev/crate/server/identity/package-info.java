/**
 * Who the caller is and what they may do: API-key and OpenID Connect authentication, {@code
 * AccessPolicy} and {@code Access} (roles, grants, scopes, per-org resolution), members, users and
 * API keys, the {@code organizations} table every check resolves against, and the caller cache
 * (ARCHITECTURE.md, section 2.1). It may use {@code audit}, {@code domain}, {@code support}, {@code
 * config}, {@code metrics}, {@code notify} and {@code log}.
 */
package dev.crate.server.identity;
