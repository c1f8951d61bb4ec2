package dev.crate.server.api.grpc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.crate.server.api.grpc.v1.GetPublicKeyRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * gRPC shares the HTTP port with REST: reflection for generic tools, and metrics that name no org or
 * secret (grpc_server_* by service, method and status; the HTTP series by served method, anything else UNMATCHED).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class GrpcTransportTest {
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    private static List<ServerReflectionResponse> reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
        List<ServerReflectionResponse> responses = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(Grpc.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(responses);
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void reflectionListsTheCrateServicesWithoutCredentials() throws Exception {
        List<ServerReflectionResponse> answer =
                reflect(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> services = answer.get(0).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName())
                .toList();
        assertTrue(
                services.containsAll(List.of(
                        "crate.secrets.v1.SecretsService",
                        "crate.secrets.v1.TagsService",
                        "crate.secrets.v1.EnvironmentsService")),
                services.toString());
    }

    @Test
    void reflectionDescribesTheMessagesAToolNeedsToCallARpc() throws Exception {
        List<ServerReflectionResponse> answer = reflect(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("crate.secrets.v1.SecretsService")
                .build());
        List<String> files = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (var bytes : answer.get(0).getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            files.add(file.getName());
            file.getMessageTypeList().forEach(m -> messages.add(m.getName()));
        }
        assertTrue(files.contains("crate/secrets/v1/secrets.proto"), files.toString());
        assertTrue(
                messages.containsAll(List.of("StoreSecretRequest", "RetrieveSecretsRequest", "SecretMetadata")),
                messages.toString());
    }

    @Test
    void restKeepsWorkingOnTheSamePortBesideGrpc() {
        Org org = Api.newOrg();
        String overGrpc = Grpc.publicKey(org.adminKey(), org.id()).getPublicKeyPem();
        String overRest = Api.as(org.adminKey())
                .get("/organization/" + org.id() + "/secrets/public-key")
                .then()
                .statusCode(200)
                .extract()
                .path("public_key_pem");
        assertEquals(overRest, overGrpc);
        // an HTTP/1.1 request to a gRPC path is no gRPC call: it gets the usual problem+json
        given().header("Content-Type", "application/grpc")
                .body(new byte[] {0, 0, 0, 0, 0})
                .post("/crate.secrets.v1.SecretsService/ListSecrets")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theCallsOriginIsKnownWhileTheServiceRuns() {
        Org org = Api.newOrg();
        io.grpc.Metadata outgoing = new io.grpc.Metadata();
        outgoing.put(
                io.grpc.Metadata.Key.of("x-request-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "origin-test-0001");
        Grpc.secrets(org.adminKey())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(outgoing))
                .getPublicKey(GetPublicKeyRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build());
        GrpcOrigin origin = OriginRecorder.LAST.get();
        assertEquals("127.0.0.1", origin.clientIp());
        assertTrue(origin.userAgent() != null && origin.userAgent().startsWith("grpc-java"), origin.userAgent());
        assertEquals("origin-test-0001", origin.requestId());
    }

    @Test
    void grpcCallsLeaveTheSameAuditRecordsAsRestWithTheCallsOrigin() throws Exception {
        Org org = Api.newOrg();
        io.grpc.Metadata outgoing = new io.grpc.Metadata();
        String requestId = "grpc-audit-" + UUID.randomUUID();
        outgoing.put(io.grpc.Metadata.Key.of("x-request-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), requestId);
        var stub = Grpc.secrets(org.adminKey())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(outgoing));
        String pem = stub.getPublicKey(GetPublicKeyRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build())
                .getPublicKeyPem();
        stub.storeSecret(dev.crate.server.api.grpc.v1.StoreSecretRequest.newBuilder()
                .setOrganizationId(org.id())
                .setName("GRPC_AUDITED")
                .setEnvironment("prod")
                .setSealed(true)
                .setEncryptedValue(dev.crate.protocol.sealing.Sealing.sealRaw(
                        dev.crate.protocol.sealing.Pem.decode(pem, "RSA"),
                        Api.destination(org, "prod", "GRPC_AUDITED"),
                        "grpc-audit-value".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build());
        assertEquals(
                "grpc-audit-value",
                Api.value(Grpc.retrieve(org.adminKey(), org.id(), "prod", null, null), "GRPC_AUDITED"));

        com.fasterxml.jackson.databind.JsonNode events = dev.crate.server.audit.AuditTrailTest.events(org, "&env=prod");
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(List.of("secret.read", "secret.write"), actions, events.toString());
        com.fasterxml.jackson.databind.JsonNode write = events.get(1);
        assertEquals("GRPC_AUDITED", write.get("name").asText());
        assertEquals("api_key", write.get("actor_type").asText());
        assertEquals(requestId, write.get("request_id").asText());
        assertTrue(write.get("user_agent").asText().startsWith("grpc-java"), write.toString());
        assertEquals("127.0.0.1", write.get("client_ip").asText());
        assertFalse(events.toString().contains("grpc-audit-value"), "no value in the audit trail");
        assertTrue(
                dev.crate.server.audit.AuditTrailTest.verify(org).get("intact").asBoolean());
    }

    @Test
    void historyRpcsLeaveTheirAuditRecordsWithTheCallsOrigin() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "prod", "GRPC_HISTORY", "one", null);
        Api.storeOk(org, "prod", "GRPC_HISTORY", "two", null);
        io.grpc.Metadata outgoing = new io.grpc.Metadata();
        String requestId = "grpc-history-" + UUID.randomUUID();
        outgoing.put(io.grpc.Metadata.Key.of("x-request-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), requestId);
        var stub = Grpc.secrets(org.adminKey())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(outgoing));
        stub.rollbackSecret(dev.crate.server.api.grpc.v1.RollbackSecretRequest.newBuilder()
                .setOrganizationId(org.id())
                .setEnvironment("prod")
                .setName("GRPC_HISTORY")
                .setVersion(1)
                .build());
        stub.deleteSecret(dev.crate.server.api.grpc.v1.DeleteSecretRequest.newBuilder()
                .setOrganizationId(org.id())
                .setEnvironment("prod")
                .setName("GRPC_HISTORY")
                .build());
        stub.restoreSecret(dev.crate.server.api.grpc.v1.RestoreSecretRequest.newBuilder()
                .setOrganizationId(org.id())
                .setEnvironment("prod")
                .setName("GRPC_HISTORY")
                .build());
        stub.deleteSecret(dev.crate.server.api.grpc.v1.DeleteSecretRequest.newBuilder()
                .setOrganizationId(org.id())
                .setEnvironment("prod")
                .setName("GRPC_HISTORY")
                .setPurge(true)
                .build());

        com.fasterxml.jackson.databind.JsonNode events = dev.crate.server.audit.AuditTrailTest.events(org, "&env=prod");
        List<String> actions = new ArrayList<>();
        events.forEach(e -> {
            if (requestId.equals(e.path("request_id").asText())) {
                actions.add(e.get("action").asText());
                assertEquals("GRPC_HISTORY", e.get("name").asText());
                assertTrue(e.get("user_agent").asText().startsWith("grpc-java"), e.toString());
            }
        });
        assertEquals(
                List.of("secret.purge", "secret.restore", "secret.delete", "secret.rollback"),
                actions,
                events.toString());
        assertFalse(events.toString().contains("\"one\""), "no value in the audit trail");
        assertTrue(
                dev.crate.server.audit.AuditTrailTest.verify(org).get("intact").asBoolean());
    }

    @Test
    void grpcAuthFailuresAreCountedLikeRestOnes() {
        Org org = Api.newOrg();
        String viewer = Api.apiKey(org, "viewer");
        String before = given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Grpc.failure(() -> Grpc.secrets(null)
                .listSecrets(ListSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build()));
        Grpc.failure(() -> Grpc.secrets("crate_unknownGrpcMetricsKey00000000000000000000000")
                .listSecrets(ListSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build()));
        Grpc.failure(() -> Grpc.secrets(viewer)
                .deleteSecret(dev.crate.server.api.grpc.v1.DeleteSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("NOPE")
                        .build()));
        String after = given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String kind : List.of("missing_credential", "unknown_key", "forbidden")) {
            assertEquals(1.0, counter(after, kind) - counter(before, kind), kind);
        }
    }

    private static double counter(String scrape, String kind) {
        return scrape.lines()
                .filter(l -> l.startsWith("crate_auth_failures_total{") && l.contains("kind=\"" + kind + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void grpcCallsAreMeasuredWithoutOrgIdsOrSecretNamesInLabels() {
        Org org = Api.newOrg();
        String name =
                "GRPC_METRICS_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Grpc.store(org.adminKey(), org.id(), "dev", name, "metric value", List.of("grpc-metric-tag"));
        Grpc.secrets(org.adminKey())
                .listSecrets(ListSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build());
        Grpc.failure(() -> Grpc.secrets(org.adminKey())
                .getPublicKey(GetPublicKeyRequest.newBuilder()
                        .setOrganizationId(UUID.randomUUID().toString())
                        .build()));
        // A method nobody serves: its path must not become a label value.
        MethodDescriptor<byte[], byte[]> unknown = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("crate.secrets.v1.SecretsService/MintedMethod" + name)
                .setRequestMarshaller(RAW)
                .setResponseMarshaller(RAW)
                .build();
        io.grpc.StatusRuntimeException refused = assertThrows(
                io.grpc.StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(Grpc.channel(), unknown, CallOptions.DEFAULT, new byte[0]));
        assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, refused.getStatus().getCode());
        String scrape = given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                scrape.lines()
                        .anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                                && l.contains("uri=\"/crate.secrets.v1.SecretsService/StoreSecret\"")),
                "the HTTP series name served gRPC methods");
        assertFalse(scrape.contains("MintedMethod"), "an unknown gRPC path is no label value");
        assertTrue(
                scrape.contains(
                        "grpc_server_processing_duration_seconds_count{method=\"StoreSecret\",methodType=\"UNARY\","
                                + "service=\"crate.secrets.v1.SecretsService\",statusCode=\"OK\""),
                "gRPC calls are measured by method and status");
        assertTrue(
                scrape.contains("service=\"crate.secrets.v1.SecretsService\",statusCode=\"NOT_FOUND\""),
                "failed calls too");
        for (String secretish : List.of(org.id(), name, org.adminKey(), "grpc-metric-tag")) {
            assertFalse(scrape.contains(secretish), "/q/metrics names " + secretish);
        }
    }
}
