/**
 * Who the caller is and what they may do: API-key and OpenID Connect authentication, {@code
 * AccessPolicy} and {@code Access} (roles, grants, scopes, per-org resolution), members, users and
 * API keys, and the {@code organizations} table every check resolves against. It may use {@code
 * audit}, {@code domain}, {@code support}, {@code config} and {@code metrics}.
 */
package dev.crate.server.identity;
