/**
 * Workload identity (docs/API.md, section 14; docs/SECURITY.md, section 3.4): per-organization bindings of
 * an external issuer's tokens (CI pipelines, Kubernetes service accounts) to a scope, the issuers' discovery
 * documents and key sets, the exchange of a platform token for a short-lived Crate token, and the
 * authentication of that token with its binding's current scope. Owns {@code workload_identities},
 * {@code workload_tokens} and {@code workload_exchanged}. It may use {@code identity}, {@code audit},
 * {@code domain}, {@code support}, {@code config}, {@code metrics} and {@code log}.
 */
package dev.crate.server.workload;
