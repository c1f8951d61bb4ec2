package dev.crate.server.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.crate.server.api.grpc.v1.ClaimRules;
import dev.crate.server.api.grpc.v1.CreateWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.DeleteWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.EnvironmentGrants;
import dev.crate.server.api.grpc.v1.ExchangeWorkloadTokenRequest;
import dev.crate.server.api.grpc.v1.ExchangeWorkloadTokenResponse;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListWorkloadIdentitiesRequest;
import dev.crate.server.api.grpc.v1.StringList;
import dev.crate.server.api.grpc.v1.UpdateWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.WorkloadIdentity;
import dev.crate.server.api.grpc.v1.WorkloadIdentityServiceGrpc;
import dev.crate.server.api.grpc.v1.WorkloadIdentitySpec;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** crate.workload.v1.WorkloadIdentityService: the same bindings and exchange as REST, and the token as metadata. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class WorkloadGrpcTest {
    static TestIssuer k8s;

    @BeforeAll
    static void issuer() throws Exception {
        k8s = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        k8s.close();
    }

    private static WorkloadIdentityServiceGrpc.WorkloadIdentityServiceBlockingStub service(String token) {
        WorkloadIdentityServiceGrpc.WorkloadIdentityServiceBlockingStub stub =
                WorkloadIdentityServiceGrpc.newBlockingStub(Grpc.channel());
        return token == null ? stub : Grpc.as(token, stub);
    }

    private static String reason(StatusRuntimeException e) throws Exception {
        return StatusProto.fromThrowable(e)
                .getDetails(0)
                .unpack(ErrorInfo.class)
                .getReason();
    }

    @Test
    void bindsExchangesAndUsesTheTokenAsMetadata() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "DB_URL", "postgres://dev", null);
        WorkloadIdentity binding = service(org.adminKey())
                .createWorkloadIdentity(CreateWorkloadIdentityRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setIdentity(WorkloadIdentitySpec.newBuilder()
                                .setName("grpc pods")
                                .setIssuer(k8s.issuer)
                                .setAudience("crate")
                                .setSubject("system:serviceaccount:payments:*")
                                .setClaims(ClaimRules.newBuilder().putRules("kubernetes.io/namespace", "payments"))
                                .setRole("member")
                                .setGrants(EnvironmentGrants.newBuilder()
                                        .putGrants(
                                                "dev",
                                                StringList.newBuilder()
                                                        .addValues("read")
                                                        .build()))
                                .setEnvironments(StringList.newBuilder().addValues("dev")))
                        .build());
        assertEquals("member", binding.getRole());
        assertEquals(900, binding.getTokenTtlSeconds());
        assertEquals(
                1,
                service(org.adminKey())
                        .listWorkloadIdentities(ListWorkloadIdentitiesRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build())
                        .getWorkloadIdentitiesCount());

        ExchangeWorkloadTokenResponse issued = service(null)
                .exchangeWorkloadToken(ExchangeWorkloadTokenRequest.newBuilder()
                        .setSubjectToken(k8s.sign(k8s.serviceAccount("payments", "api")))
                        .setSubjectTokenType("urn:ietf:params:oauth:token-type:jwt")
                        .setOrganization(org.id())
                        .build());
        assertTrue(issued.getAccessToken().startsWith("crate_wl_"));
        assertEquals(binding.getId(), issued.getBinding());
        assertEquals(
                1,
                Grpc.secrets(issued.getAccessToken())
                        .listSecrets(ListSecretsRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build())
                        .getSecretsCount());

        // a workload token cannot manage bindings
        StatusRuntimeException denied = assertThrows(
                StatusRuntimeException.class,
                () -> service(issued.getAccessToken())
                        .listWorkloadIdentities(ListWorkloadIdentitiesRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());

        WorkloadIdentity changed = service(org.adminKey())
                .updateWorkloadIdentity(UpdateWorkloadIdentityRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setId(binding.getId())
                        .setChanges(WorkloadIdentitySpec.newBuilder().setTokenTtlSeconds(120))
                        .build());
        assertEquals(120, changed.getTokenTtlSeconds());
        assertEquals("system:serviceaccount:payments:*", changed.getSubject());
        assertEquals(List.of("dev"), changed.getEnvironments().getValuesList());
        // a lifetime-only change leaves the token working (only changed matching rules end tokens)
        assertEquals(
                1,
                Grpc.secrets(issued.getAccessToken())
                        .listSecrets(ListSecretsRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build())
                        .getSecretsCount());

        service(org.adminKey())
                .deleteWorkloadIdentity(DeleteWorkloadIdentityRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setId(binding.getId())
                        .build());
        StatusRuntimeException gone = assertThrows(
                StatusRuntimeException.class,
                () -> Grpc.secrets(issued.getAccessToken())
                        .listSecrets(ListSecretsRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build()));
        assertEquals(Status.Code.UNAUTHENTICATED, gone.getStatus().getCode());
    }

    @Test
    void aRefusedExchangeIsUnauthenticatedWithTheSingleReason() throws Exception {
        Org org = Api.newOrg();
        StatusRuntimeException refused = assertThrows(
                StatusRuntimeException.class,
                () -> service(null)
                        .exchangeWorkloadToken(ExchangeWorkloadTokenRequest.newBuilder()
                                .setSubjectToken(k8s.sign(k8s.serviceAccount("payments", "api")))
                                .setSubjectTokenType("urn:ietf:params:oauth:token-type:jwt")
                                .setOrganization(org.id())
                                .build()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        assertEquals("workload_token_refused", reason(refused));
    }
}
