/**
 * Error mapping shared by the REST and gRPC adapters: {@code ProblemMapper} turns {@code
 * CrateException} and framework failures into problem+json, {@code RootKeyMissing} names a missing
 * root key once. It may use {@code api.http}, {@code domain}, {@code crypto} and {@code metrics};
 * never a feature package.
 */
package dev.crate.server.api.error;
