package dev.crate.server.api.grpc;

/**
 * Where a gRPC call comes from, as far as the transport tells: the peer address, the
 * {@code user-agent} metadata and the request id (the one the HTTP layer gave the call, which keeps
 * a sane incoming {@code x-request-id}). Descriptive only; never a credential.
 */
public record GrpcOrigin(String clientIp, String userAgent, String requestId) {
    static final GrpcOrigin UNKNOWN = new GrpcOrigin(null, null, null);
}
