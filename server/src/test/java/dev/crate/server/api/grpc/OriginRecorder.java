package dev.crate.server.api.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only: records the {@link GrpcOrigin} a service method would see, from inside every other
 * interceptor, for {@code GrpcTransportTest}.
 */
@ApplicationScoped
@GlobalInterceptor
public class OriginRecorder implements ServerInterceptor {
    static final AtomicReference<GrpcOrigin> LAST = new AtomicReference<>();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onHalfClose() {
                LAST.set(GrpcOrigins.current());
                super.onHalfClose();
            }
        };
    }
}
