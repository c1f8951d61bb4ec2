/**
 * The OpenAPI filter (security scheme, problem responses, examples) behind {@code openapi.yaml}.
 * It uses nothing else of the server.
 */
package dev.crate.server.api.openapi;
