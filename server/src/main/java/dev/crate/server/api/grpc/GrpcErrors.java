package dev.crate.server.api.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.CrateException;
import dev.crate.server.log.LogId;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.AuthFailure;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place exceptions become gRPC statuses, as {@code api/error/ProblemMapper} is for REST: the
 * status code follows the Crate {@link ErrorCode} ({@link #STATUS}), the description is the same
 * client-facing detail REST sends, and the details carry a {@code google.rpc.ErrorInfo} whose reason
 * is the Crate code. Never a stack trace, class name or raw exception message.
 */
@ApplicationScoped
public class GrpcErrors implements ExceptionHandlerProvider {
    public static final String DOMAIN = "crate.dev";
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);
    private static final String UNAUTHENTICATED_DETAIL =
            "a valid bearer token is required in the authorization metadata: an API key or an access token from the identity provider";

    /** Every stable error code, explicitly; GrpcErrorsTest#everyErrorCodeHasAnExplicitStatus fails when a new code is missing here. */
    static final Map<ErrorCode, Status.Code> STATUS = statusTable();

    private final CrateMetrics metrics;

    GrpcErrors(CrateMetrics metrics) {
        this.metrics = metrics;
    }

    private static Map<ErrorCode, Status.Code> statusTable() {
        Map<ErrorCode, Status.Code> table = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : new ErrorCode[] {
            ErrorCode.MALFORMED_REQUEST,
            ErrorCode.INVALID_NAME,
            ErrorCode.INVALID_ENVIRONMENT,
            ErrorCode.INVALID_TAG,
            ErrorCode.TOO_MANY_TAGS,
            ErrorCode.TOO_MANY_NAMES,
            ErrorCode.INVALID_PAGE,
            ErrorCode.INVALID_ORGANIZATION_NAME,
            ErrorCode.INVALID_API_KEY_REQUEST,
            ErrorCode.INVALID_GRANTS,
            ErrorCode.INVALID_MEMBER_REQUEST,
            ErrorCode.INVALID_TAG_METADATA,
            ErrorCode.UNSEALED_VALUE_REJECTED,
            ErrorCode.INVALID_SEALED_VALUE,
            ErrorCode.SEALED_VALUE_MISMATCH,
            ErrorCode.INVALID_VALUE,
            ErrorCode.INVALID_CLIENT_KEY,
            ErrorCode.WEAK_CLIENT_KEY,
            ErrorCode.NOT_ACCEPTABLE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.INVALID_ROTATION_REQUEST,
            ErrorCode.INVALID_VERSION,
            ErrorCode.INVALID_AUDIT_QUERY,
            ErrorCode.INVALID_WORKLOAD_IDENTITY
        }) {
            table.put(code, Status.Code.INVALID_ARGUMENT);
        }
        table.put(ErrorCode.VALUE_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED);
        table.put(ErrorCode.BODY_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED);
        table.put(ErrorCode.TOO_MANY_STREAMS, Status.Code.RESOURCE_EXHAUSTED);
        table.put(ErrorCode.RATE_LIMITED, Status.Code.RESOURCE_EXHAUSTED);
        table.put(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED);
        table.put(ErrorCode.FORBIDDEN, Status.Code.PERMISSION_DENIED);
        table.put(ErrorCode.WORKLOAD_SCOPE_EXCEEDS_CREATOR, Status.Code.PERMISSION_DENIED);
        table.put(ErrorCode.WORKLOAD_TOKEN_REFUSED, Status.Code.UNAUTHENTICATED);
        for (ErrorCode code : new ErrorCode[] {
            ErrorCode.NOT_FOUND,
            ErrorCode.ORGANIZATION_NOT_FOUND,
            ErrorCode.SECRET_NOT_FOUND,
            ErrorCode.ENVIRONMENT_NOT_FOUND,
            ErrorCode.TAG_NOT_FOUND,
            ErrorCode.API_KEY_NOT_FOUND,
            ErrorCode.MEMBER_NOT_FOUND,
            ErrorCode.VERSION_NOT_FOUND,
            ErrorCode.WORKLOAD_IDENTITY_NOT_FOUND
        }) {
            table.put(code, Status.Code.NOT_FOUND);
        }
        table.put(ErrorCode.METHOD_NOT_ALLOWED, Status.Code.UNIMPLEMENTED);
        table.put(ErrorCode.CONFLICT, Status.Code.ABORTED);
        // Check-and-set lost against another writer: read again and retry.
        table.put(ErrorCode.VERSION_CONFLICT, Status.Code.ABORTED);
        // A purged version: no retry can bring it back.
        table.put(ErrorCode.VERSION_DESTROYED, Status.Code.FAILED_PRECONDITION);
        table.put(ErrorCode.MEMBER_EXISTS, Status.Code.ALREADY_EXISTS);
        table.put(ErrorCode.ENVIRONMENT_EXISTS, Status.Code.ALREADY_EXISTS);
        table.put(ErrorCode.ORGANIZATION_EXISTS, Status.Code.ALREADY_EXISTS);
        table.put(ErrorCode.LAST_ADMIN, Status.Code.FAILED_PRECONDITION);
        table.put(ErrorCode.TAG_IN_USE, Status.Code.FAILED_PRECONDITION);
        // The sealed value names a transport key past its grace period: fetch the public key again.
        table.put(ErrorCode.TRANSPORT_KEY_EXPIRED, Status.Code.FAILED_PRECONDITION);
        table.put(ErrorCode.INTERNAL_ERROR, Status.Code.INTERNAL);
        table.put(ErrorCode.SERVICE_UNAVAILABLE, Status.Code.UNAVAILABLE);
        table.put(ErrorCode.AUDIT_UNAVAILABLE, Status.Code.UNAVAILABLE);
        return Map.copyOf(table);
    }

    /** The gRPC code of a Crate code; one not in the table yet is derived from its HTTP status. */
    public static Status.Code statusOf(ErrorCode code) {
        Status.Code mapped = STATUS.get(code);
        if (mapped != null) {
            return mapped;
        }
        return switch (code.status()) {
            case 400 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.ABORTED;
            case 412 -> Status.Code.FAILED_PRECONDITION;
            case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 503 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.INTERNAL;
        };
    }

    /** A status exception carrying {@code code} and {@code detail}, as a client sees it. */
    public static StatusException status(ErrorCode code, String detail) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(statusOf(code).value())
                .setMessage(detail)
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(code.code())
                        .setDomain(DOMAIN)
                        .putMetadata("title", code.title())
                        .putMetadata("type", code.type())
                        .putMetadata("http_status", Integer.toString(code.status()))
                        .build()))
                .build();
        return StatusProto.toStatusException(status);
    }

    @Override
    public Throwable transform(Throwable t) {
        return toStatus(t);
    }

    StatusException toStatus(Throwable t) {
        if (t instanceof CrateException e) {
            if (e.code() == ErrorCode.FORBIDDEN) {
                metrics.authFailure(AuthFailure.FORBIDDEN);
            }
            return status(e.code(), e.detail());
        }
        if (t instanceof StatusException e) {
            return e;
        }
        if (t instanceof StatusRuntimeException e) {
            return new StatusException(e.getStatus(), e.getTrailers());
        }
        if (t instanceof ForbiddenException) {
            metrics.authFailure(AuthFailure.FORBIDDEN);
            return status(ErrorCode.FORBIDDEN, "not allowed for this credential");
        }
        if (causedBy(t, io.quarkus.oidc.OIDCException.class)) {
            LogId.IDENTITY_PROVIDER_UNAVAILABLE.log(
                    LOG, "gRPC request " + GrpcOrigins.current().requestId(), "");
            return status(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the identity provider cannot be reached; try again, or use an API key");
        }
        dev.crate.server.crypto.rootkey.UnknownRootKeyException missingRootKey =
                dev.crate.server.api.error.RootKeyMissing.in(t);
        if (missingRootKey != null) {
            dev.crate.server.api.error.RootKeyMissing.log(
                    missingRootKey, GrpcOrigins.current().requestId());
            return status(ErrorCode.SERVICE_UNAVAILABLE, dev.crate.server.api.error.RootKeyMissing.DETAIL);
        }
        if (dev.crate.server.api.error.DatabaseDown.handle(
                t, GrpcOrigins.current().requestId())) {
            // before the authentication case: a key that could not be looked up is no bad credential
            return status(ErrorCode.SERVICE_UNAVAILABLE, dev.crate.server.api.error.DatabaseDown.DETAIL);
        }
        if (t instanceof AuthenticationException || t instanceof UnauthorizedException) {
            return status(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_DETAIL);
        }
        // The type and stack go to the log for operators; the client gets only the request id (x-request-id metadata).
        LogId.UNEXPECTED_GRPC.logWithCause(
                LOG, t, t.getClass().getName(), GrpcOrigins.current().requestId());
        return status(
                ErrorCode.INTERNAL_ERROR,
                "an internal error occurred; quote the request id (x-request-id) when reporting it");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(
            ServerCall.Listener<ReqT> listener, ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new Handler<>(listener, call, metadata, this);
    }

    /** Failures thrown straight out of a listener (not through a Uni) end the call the same way. */
    static final class Handler<ReqT, RespT> extends ExceptionHandler<ReqT, RespT> {
        private final GrpcErrors errors;

        Handler(
                ServerCall.Listener<ReqT> listener,
                ServerCall<ReqT, RespT> call,
                Metadata metadata,
                GrpcErrors errors) {
            super(listener, call, metadata);
            this.errors = errors;
        }

        @Override
        protected void handleException(Throwable t, ServerCall<ReqT, RespT> call, Metadata metadata) {
            if (t instanceof IllegalStateException && "Trailers already sent".equals(t.getMessage())) {
                // The transport already answered (a message over the size limit): grpc-java's unary
                // listener then tries to close the call once more. Nothing failed that the client can be told.
                LOG.debugf(
                        "gRPC request %s was answered by the transport already",
                        GrpcOrigins.current().requestId());
                return;
            }
            StatusException status = errors.toStatus(t);
            try {
                call.close(status.getStatus(), status.getTrailers() != null ? status.getTrailers() : new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // the call was answered already; nothing more to tell the client
            }
        }
    }
}
