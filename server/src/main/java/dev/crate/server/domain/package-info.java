/**
 * The shared vocabulary of the server: the {@code Caller}, {@code CrateException} with its error
 * code, roles, grants, API-key scopes, an unwrapped {@code OrgKey}, and the input rules ({@code
 * Validation}). The lowest package: it uses nothing else of the server.
 */
package dev.crate.server.domain;
