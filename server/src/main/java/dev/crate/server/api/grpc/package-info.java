/**
 * The gRPC adapter ({@code crate.secrets.v1}, generated into {@code api.grpc.v1}): each RPC builds
 * a {@code Caller}, calls the same service method as its REST twin and maps the result; errors map
 * through {@code GrpcErrors}. It may use the feature packages, {@code api.http}, {@code
 * api.error}, {@code domain}, {@code metrics} and {@code crypto}.
 */
package dev.crate.server.api.grpc;
