package dev.crate.server.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.crate.protocol.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

/** The Crate error code to gRPC status table, without a server. */
class GrpcErrorsTest {

    @Test
    void everyErrorCodeHasAnExplicitStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(GrpcErrors.STATUS.containsKey(code), code + " has no gRPC status in GrpcErrors.STATUS");
        }
    }

    @Test
    void onlyTheInternalErrorIsInternalAndNothingIsUnknownOrOk() {
        for (ErrorCode code : ErrorCode.values()) {
            Status.Code status = GrpcErrors.statusOf(code);
            assertNotEquals(Status.Code.OK, status, code.code());
            assertNotEquals(Status.Code.UNKNOWN, status, code.code());
            assertEquals(code == ErrorCode.INTERNAL_ERROR, status == Status.Code.INTERNAL, code.code());
        }
    }

    @Test
    void statusFamiliesFollowTheHttpStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            Status.Code status = GrpcErrors.statusOf(code);
            switch (code.status()) {
                case 401 -> assertEquals(Status.Code.UNAUTHENTICATED, status, code.code());
                case 403 -> assertEquals(Status.Code.PERMISSION_DENIED, status, code.code());
                case 404 -> assertEquals(Status.Code.NOT_FOUND, status, code.code());
                case 413 -> assertEquals(Status.Code.RESOURCE_EXHAUSTED, status, code.code());
                case 409 ->
                    assertTrue(
                            status == Status.Code.ALREADY_EXISTS
                                    || status == Status.Code.ABORTED
                                    || status == Status.Code.FAILED_PRECONDITION,
                            code.code());
                default -> {}
            }
        }
    }

    @Test
    void theStatusCarriesTheCrateCodeAsErrorInfoReason() throws Exception {
        StatusException e = GrpcErrors.status(ErrorCode.TAG_IN_USE, "tag busy is still carried by secrets");
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertEquals("tag_in_use", info.getReason());
        assertEquals("crate.dev", info.getDomain());
        assertEquals("409", info.getMetadataMap().get("http_status"));
        assertEquals("tag busy is still carried by secrets", e.getStatus().getDescription());
    }

    @Test
    void anUnexpectedExceptionTellsNeitherItsClassNorItsMessage() {
        GrpcErrors errors = new GrpcErrors(null);
        StatusException e = errors.toStatus(new IllegalStateException("SECRET-INTERNAL-DETAIL"));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertFalse(e.getStatus().getDescription().contains("SECRET-INTERNAL-DETAIL"));
        assertFalse(e.getStatus().getDescription().contains("IllegalStateException"));
        assertEquals("internal_error", reason(e));
    }

    @Test
    void frameworkAuthenticationFailuresBecomeUnauthenticatedWithoutTheirMessage() {
        GrpcErrors errors = new GrpcErrors(null);
        StatusException e = errors.toStatus(new io.quarkus.security.AuthenticationFailedException("token xyz was bad"));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertFalse(e.getStatus().getDescription().contains("xyz"));
        assertEquals("unauthenticated", reason(e));
    }

    @Test
    void aRootKeyThisReplicaLacksIsUnavailableNotInternal() {
        GrpcErrors errors = new GrpcErrors(null);
        StatusException e = errors.toStatus(new IllegalStateException(
                "wrapped", new dev.crate.server.crypto.rootkey.UnknownRootKeyException("rk-0123456789ab")));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("service_unavailable", reason(e));
        assertFalse(e.getStatus().getDescription().contains("rk-0123456789ab"), "the kid is for the operator's log");
    }

    private static String reason(StatusException e) {
        try {
            return StatusProto.fromThrowable(e)
                    .getDetails(0)
                    .unpack(ErrorInfo.class)
                    .getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
            throw new AssertionError(bad);
        }
    }
}
