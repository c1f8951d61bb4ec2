package dev.crate.server.api.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.AuthenticationException;
import jakarta.inject.Singleton;

/**
 * Authentication and authorization failures of the gRPC security layer answer like every other
 * failure, through {@link GrpcErrors} (UNAUTHENTICATED / PERMISSION_DENIED with the Crate code), never
 * with the framework's exception message.
 */
@Singleton
public class GrpcAuthErrors implements AuthExceptionHandlerProvider {
    private final GrpcErrors errors;

    GrpcAuthErrors(GrpcErrors errors) {
        this.errors = errors;
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public <ReqT, RespT> AuthExceptionHandler<ReqT, RespT> createHandler(
            ServerCall.Listener<ReqT> listener, ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, serverCall, metadata) {
            @Override
            protected void handleException(Throwable exception, ServerCall<ReqT, RespT> call, Metadata trailers) {
                if (!handlesException(exception)) {
                    super.handleException(exception, call, trailers);
                    return;
                }
                StatusException status = errors.toStatus(exception);
                call.close(status.getStatus(), status.getTrailers() != null ? status.getTrailers() : new Metadata());
            }
        };
    }

    @Override
    public StatusException transformToStatusException(Throwable failure) {
        return errors.toStatus(failure);
    }

    @Override
    public boolean handlesException(Throwable failure) {
        return failure instanceof AuthenticationException || failure instanceof SecurityException;
    }
}
