package dev.crate.server.api.grpc;

import dev.crate.server.api.http.RequestIds;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Pattern;

/**
 * Notes, for every gRPC call, its {@link GrpcOrigin} and whether it presented a credential, in the
 * call's {@link Context} (attached while the service method runs, so {@link GrpcCallers} reads it
 * synchronously).
 */
@ApplicationScoped
@GlobalInterceptor
public class GrpcOrigins implements ServerInterceptor, Prioritized {
    static final Context.Key<GrpcOrigin> ORIGIN = Context.key("crate.grpc.origin");
    static final Context.Key<Boolean> CREDENTIAL_PRESENTED = Context.key("crate.grpc.credential-presented");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> USER_AGENT =
            Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Pattern SANE_ID = Pattern.compile("^[A-Za-z0-9._-]{8,64}$");
    private static final int MAX_USER_AGENT = 256;

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        RoutingContext http = currentRoutingContext();
        GrpcOrigin origin = new GrpcOrigin(peer(call, http), userAgent(headers), requestId(headers, http));
        Context context = Context.current()
                .withValue(ORIGIN, origin)
                .withValue(CREDENTIAL_PRESENTED, headers.containsKey(AUTHORIZATION));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** Outside the security interceptor, so that the origin is known whatever authentication decides. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE - 10;
    }

    /** The origin of the call the current thread serves, or one with every part unknown. */
    public static GrpcOrigin current() {
        GrpcOrigin origin = ORIGIN.get();
        return origin == null ? GrpcOrigin.UNKNOWN : origin;
    }

    static boolean credentialPresented() {
        return Boolean.TRUE.equals(CREDENTIAL_PRESENTED.get());
    }

    private static RoutingContext currentRoutingContext() {
        io.vertx.core.Context vertx = io.vertx.core.Vertx.currentContext();
        return vertx == null ? null : vertx.getLocal(RoutingContext.class.getName());
    }

    private static String peer(ServerCall<?, ?> call, RoutingContext http) {
        SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        if (http != null && http.request().remoteAddress() != null) {
            return http.request().remoteAddress().hostAddress();
        }
        return null;
    }

    private static String userAgent(Metadata headers) {
        String agent = headers.get(USER_AGENT);
        return agent == null || agent.length() <= MAX_USER_AGENT ? agent : agent.substring(0, MAX_USER_AGENT);
    }

    /** The id the HTTP layer gave this request (see {@link RequestIds}); else a sane incoming one. */
    private static String requestId(Metadata headers, RoutingContext http) {
        String assigned = http == null ? null : http.get(RequestIds.KEY);
        if (assigned != null) {
            return assigned;
        }
        String incoming = headers.get(REQUEST_ID);
        return incoming != null && SANE_ID.matcher(incoming).matches() ? incoming : null;
    }
}
