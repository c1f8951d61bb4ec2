/**
 * The HTTP layer below every route: request ids, the 256 KiB body limit (announced or counted),
 * the problem+json safety net for failures outside the REST mapper, and the route labels of HTTP
 * metrics. It may use {@code metrics} and the generated {@code api.grpc.v1} stubs; nothing above
 * it.
 */
package dev.crate.server.api.http;
