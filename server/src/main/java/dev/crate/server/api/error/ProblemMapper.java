package dev.crate.server.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Problem;
import dev.crate.server.api.http.BodyLimit;
import dev.crate.server.api.http.RequestIds;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.domain.CrateException;
import dev.crate.server.log.LogId;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.AuthFailure;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place exceptions become answers: RFC 9457 problem+json with a stable {@code code} and the
 * request id. Never a stack trace, class name or raw exception message.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private final CurrentVertxRequest request;
    private final CrateMetrics metrics;

    ProblemMapper(CurrentVertxRequest request, CrateMetrics metrics) {
        this.request = request;
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response crate(CrateException e) {
        if (e.code() == ErrorCode.FORBIDDEN) {
            metrics.authFailure(AuthFailure.FORBIDDEN);
        }
        Response response = respond(e.code(), e.detail());
        if (e.retryAfterSeconds() > 0) {
            return Response.fromResponse(response)
                    .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                    .build();
        }
        return response;
    }

    @ServerExceptionMapper({
        AuthenticationFailedException.class,
        UnauthorizedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthenticated(RuntimeException e) {
        if (DatabaseDown.handle(e, requestId())) {
            // the key could not be looked up: the database, not the credential, is the problem
            return respond(ErrorCode.SERVICE_UNAVAILABLE, DatabaseDown.DETAIL);
        }
        // A presented but unusable key was already counted, by kind, where it was looked up.
        if (!credentialPresented()) {
            metrics.authFailure(AuthFailure.MISSING_CREDENTIAL);
        }
        return withChallenge();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        metrics.authFailure(AuthFailure.FORBIDDEN);
        return respond(ErrorCode.FORBIDDEN, "not allowed for this credential");
    }

    /** Replaces Quarkus's built-in mapper for this type, whose answer echoes parts of the input. */
    @ServerExceptionMapper
    public Response mismatch(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(ErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON of the expected shape");
    }

    /** A body without Content-Length ran past the limit while it was read (BodyLimit closes the connection after this). */
    @ServerExceptionMapper
    public Response bodyTooLarge(BodyLimit.TooLarge e) {
        return respond(ErrorCode.BODY_TOO_LARGE, BodyLimit.DETAIL);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 400 ->
                respond(ErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON of the expected shape");
            case 401 -> withChallenge();
            case 403 -> respond(ErrorCode.FORBIDDEN, "not allowed for this credential");
            case 404 -> respond(ErrorCode.NOT_FOUND, "no such resource");
            case 405 -> respond(ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed on this resource");
            case 406 -> respond(ErrorCode.NOT_ACCEPTABLE, "this resource answers application/json");
            case 413 -> respond(ErrorCode.BODY_TOO_LARGE, "request bodies are limited to 256 KiB");
            case 415 -> respond(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
            default ->
                status >= 500 ? internal(e) : respond(ErrorCode.MALFORMED_REQUEST, "the request cannot be processed");
        };
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (e instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e instanceof io.quarkus.oidc.OIDCException) {
            // The identity provider cannot be reached to check a token: the caller's problem is ours, not theirs.
            LogId.IDENTITY_PROVIDER_UNAVAILABLE.log(
                    LOG, "request " + requestId(), ": " + e.getClass().getSimpleName());
            return respond(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the identity provider cannot be reached; try again, or use an API key");
        }
        UnknownRootKeyException missingRootKey = RootKeyMissing.in(e);
        if (missingRootKey != null) {
            RootKeyMissing.log(missingRootKey, requestId());
            return respond(ErrorCode.SERVICE_UNAVAILABLE, RootKeyMissing.DETAIL);
        }
        if (DatabaseDown.handle(e, requestId())) {
            return respond(ErrorCode.SERVICE_UNAVAILABLE, DatabaseDown.DETAIL);
        }
        if (e instanceof java.io.IOException && "Request too large".equals(e.getMessage())) {
            // a body sent without Content-Length ran past Quarkus's own ceiling (BodyLimit.BACKSTOP in
            // REST requests), if the HTTP layer has not already answered 413 itself; BodyLimit answers first
            return respond(ErrorCode.BODY_TOO_LARGE, "request bodies are limited to 256 KiB");
        }
        return internal(e);
    }

    private Response internal(Throwable e) {
        // The type and stack go to the log for operators; the client gets only the request id.
        LogId.UNEXPECTED_REST.logWithCause(LOG, e, e.getClass().getName(), requestId());
        return respond(ErrorCode.INTERNAL_ERROR, "an internal error occurred; quote the request id when reporting it");
    }

    private Response withChallenge() {
        return Response.fromResponse(respond(
                        ErrorCode.UNAUTHENTICATED,
                        "a valid bearer token is required: an API key or an access token from the identity provider"))
                .header("WWW-Authenticate", "Bearer realm=\"crate\"")
                .build();
    }

    private Response respond(ErrorCode code, String detail) {
        Response.ResponseBuilder builder =
                Response.status(code.status()).type(Problem.MEDIA_TYPE).entity(Problem.of(code, detail, requestId()));
        if (code.status() == 503) {
            // every 503 is temporary: say when to try again (docs/API.md, section 3)
            builder.header("Retry-After", DatabaseDown.RETRY_AFTER_SECONDS);
        }
        return builder.build();
    }

    private boolean credentialPresented() {
        var current = request.getCurrent();
        return current != null && current.request().getHeader("Authorization") != null;
    }

    private String requestId() {
        var current = request.getCurrent();
        return current == null ? null : current.get(RequestIds.KEY);
    }
}
