package dev.crate.server.api.grpc;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.api.grpc.v1.CreateEnvironmentRequest;
import dev.crate.server.api.grpc.v1.DeleteSecretRequest;
import dev.crate.server.api.grpc.v1.DeleteTagRequest;
import dev.crate.server.api.grpc.v1.ListEnvironmentsRequest;
import dev.crate.server.api.grpc.v1.ListSecretVersionsRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListTagsRequest;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.PutTagRequest;
import dev.crate.server.api.grpc.v1.RestoreSecretRequest;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.RollbackSecretRequest;
import dev.crate.server.api.grpc.v1.SecretMetadata;
import dev.crate.server.api.grpc.v1.SecretVersion;
import dev.crate.server.api.grpc.v1.SecretVersionList;
import dev.crate.server.api.grpc.v1.TagMetadata;
import dev.crate.server.api.grpc.v1.TagNames;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.Grpc.Failure;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The same operations over REST and over gRPC give the same results and the same error codes. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class GrpcParityTest {

    @Test
    void restAndGrpcSeeTheSameSecretsMetadataAndValues() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "SHARED", "from rest", List.of("alpha", "beta"));
        SecretMetadata overGrpc = Grpc.store(org.adminKey(), org.id(), "dev", "SHARED", "from grpc", null);
        Api.storeOk(org, "dev", "REST_ONLY", "rest value", List.of("alpha"));
        Grpc.store(org.adminKey(), org.id(), "dev", "GRPC_ONLY", "grpc value ünïcode", List.of("beta"));
        assertEquals(2, overGrpc.getVersion(), "gRPC continues the versions REST started");

        for (String filter : List.of("", "alpha", "beta", "alpha,beta")) {
            Response rest = as(org.adminKey())
                    .queryParam("env", "dev")
                    .queryParam("tags", filter)
                    .get("/organization/" + org.id() + "/secrets");
            rest.then().statusCode(200);
            List<Map<String, Object>> restList = rest.path("secrets");
            ListSecretsRequest.Builder request =
                    ListSecretsRequest.newBuilder().setOrganizationId(org.id()).setEnvironment("dev");
            if (!filter.isEmpty()) {
                request.addAllTags(List.of(filter.split(",")));
            }
            List<SecretMetadata> grpcList =
                    Grpc.secrets(org.adminKey()).listSecrets(request.build()).getSecretsList();
            assertEquals(restList.size(), grpcList.size(), "filter " + filter);
            for (int i = 0; i < restList.size(); i++) {
                Map<String, Object> r = restList.get(i);
                SecretMetadata g = grpcList.get(i);
                assertEquals(r.get("name"), g.getName());
                assertEquals(r.get("environment"), g.getEnvironment());
                assertEquals(r.get("version"), g.getVersion());
                assertEquals(r.get("tags"), g.getTagsList());
                assertEquals(
                        Instant.parse((String) r.get("updated_at")),
                        Instant.ofEpochSecond(
                                g.getUpdatedAt().getSeconds(), g.getUpdatedAt().getNanos()));
            }
        }

        assertEquals(Api.retrieve(org, "dev", null, null), Grpc.retrieve(org.adminKey(), org.id(), "dev", null, null));
        assertEquals(
                Api.retrieve(org, "dev", List.of("SHARED", "MISSING"), List.of("beta")),
                Grpc.retrieve(org.adminKey(), org.id(), "dev", List.of("SHARED", "MISSING"), List.of("beta")));

        Api.PublicKey restKey = Api.publicKey(org);
        PublicKey grpcKey = Grpc.publicKey(org.adminKey(), org.id());
        assertEquals(restKey.pem(), grpcKey.getPublicKeyPem());
        assertEquals(restKey.kid(), grpcKey.getKid());
    }

    @Test
    void anEmptyNamesListRetrievesNothingOverBothAndNoNamesRetrievesEverything() {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "ONE", "1", null);
        Api.storeOk(org, "dev", "TWO", "2", List.of("t"));
        RetrievedPayload restNone = Api.retrieve(org, "dev", List.of(), null);
        RetrievedPayload grpcNone = Grpc.retrieve(org.adminKey(), org.id(), "dev", List.of(), null);
        assertEquals(List.of(), restNone.secrets(), "REST \"names\": [] names no secret");
        assertEquals(restNone, grpcNone, "gRPC names present but empty: as REST");
        RetrievedPayload restAll = Api.retrieve(org, "dev", null, null);
        assertEquals(2, restAll.secrets().size());
        assertEquals(
                restAll, Grpc.retrieve(org.adminKey(), org.id(), "dev", null, null), "names not given: every secret");
        // An empty tags filter is no filter over REST, so over gRPC too (repeated tags need no wrapper).
        assertEquals(
                Api.retrieve(org, "dev", null, List.of()),
                Grpc.retrieve(org.adminKey(), org.id(), "dev", null, List.of()));
        assertEquals(restAll, Api.retrieve(org, "dev", null, List.of()));
    }

    @Test
    void aClientStillSendingTheFormerNamesFieldIsRefusedNotWidenedToEverySecret() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "ONE", "1", null);
        Api.storeOk(org, "dev", "TWO", "2", null);
        RetrieveSecretsRequest request = RetrieveSecretsRequest.newBuilder()
                .setOrganizationId(org.id())
                .setEnvironment("dev")
                .setClientPublicJwk(Grpc.struct(TemporaryKey.generate().publicJwk()))
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(
                                3,
                                com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("ONE"))
                                        .build())
                        .build())
                .build();
        Failure refused = Grpc.failure(() -> Grpc.secrets(org.adminKey()).retrieveSecrets(request));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, refused.status());
        assertEquals("malformed_request", refused.code());
    }

    @Test
    void restAndGrpcAgreeOnVersionsRollbackPinnedRetrieveAndPurge() {
        Org org = Api.newOrg();
        String token = org.adminKey();
        String id = org.id();
        for (String name : List.of("ROLL_A", "ROLL_B")) {
            Api.storeOk(org, "dev", name, "first", List.of("one"));
            Grpc.store(token, id, "dev", name, "second", null);
            Api.storeOk(org, "dev", name, "third", List.of("two"));
        }
        assertVersionsEqual(org, "ROLL_A");

        // pinned retrieve: the same payload over both
        Map<String, Integer> pinned = Map.of("ROLL_A", 1, "ROLL_B", 2);
        RetrievedPayload restPinned = restRetrieve(org, null, pinned);
        assertEquals(restPinned, Grpc.retrieve(token, id, "dev", null, null, pinned));
        assertEquals("first", Api.value(restPinned, "ROLL_A"));
        assertEquals("second", Api.value(restPinned, "ROLL_B"));
        assertEquals(
                restRetrieve(org, List.of("ROLL_A"), Map.of("ROLL_B", 9)),
                Grpc.retrieve(token, id, "dev", List.of("ROLL_A"), null, Map.of("ROLL_B", 9)),
                "an unknown version is missing over both");

        // rollback: REST on A, gRPC on B, to the same version: the same result
        Response restRollback = as(token)
                .queryParam("env", "dev")
                .body(Map.of("version", 1))
                .post("/organization/" + id + "/secrets/ROLL_A/rollback");
        restRollback.then().statusCode(200);
        SecretMetadata grpcRollback = Grpc.secrets(token)
                .rollbackSecret(RollbackSecretRequest.newBuilder()
                        .setOrganizationId(id)
                        .setEnvironment("dev")
                        .setName("ROLL_B")
                        .setVersion(1)
                        .build());
        assertEquals(4, grpcRollback.getVersion());
        assertEquals((Integer) restRollback.path("version"), grpcRollback.getVersion());
        assertEquals(restRollback.path("tags"), grpcRollback.getTagsList());
        assertEquals((String) restRollback.path("environment"), grpcRollback.getEnvironment());
        RetrievedPayload now = Grpc.retrieve(token, id, "dev", null, null);
        assertEquals("first", Api.value(now, "ROLL_A"));
        assertEquals("first", Api.value(now, "ROLL_B"));
        assertVersionsEqual(org, "ROLL_B");

        // soft delete over gRPC, restore over gRPC: REST sees it back
        Grpc.secrets(token)
                .deleteSecret(DeleteSecretRequest.newBuilder()
                        .setOrganizationId(id)
                        .setName("ROLL_A")
                        .build());
        assertVersionsEqual(org, "ROLL_A");
        SecretMetadata restored = Grpc.secrets(token)
                .restoreSecret(RestoreSecretRequest.newBuilder()
                        .setOrganizationId(id)
                        .setName("ROLL_A")
                        .build());
        assertEquals(4, restored.getVersion());
        assertEquals("first", Api.value(Api.retrieve(org, "dev", List.of("ROLL_A"), null), "ROLL_A"));

        // purge over gRPC: every version destroyed, as REST reports it
        Grpc.secrets(token)
                .deleteSecret(DeleteSecretRequest.newBuilder()
                        .setOrganizationId(id)
                        .setName("ROLL_B")
                        .setPurge(true)
                        .build());
        Response restVersions = as(token).get("/organization/" + id + "/secrets/ROLL_B/versions");
        assertEquals(true, restVersions.path("purged"));
        assertEquals(List.of(true, true, true, true), restVersions.path("versions.destroyed"));
        assertVersionsEqual(org, "ROLL_B");
        assertEquals(
                List.of("ROLL_B"),
                Grpc.retrieve(token, id, "dev", List.of("ROLL_B"), null, Map.of("ROLL_B", 1))
                        .missing());
    }

    private static RetrievedPayload restRetrieve(Org org, List<String> names, Map<String, Integer> versions) {
        TemporaryKey key = TemporaryKey.generate();
        Response response = as(org.adminKey())
                .body(new RetrieveRequest("dev", names, null, null, key.publicJwk(), null, versions))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        try {
            return Api.JSON.readValue(key.open(response.path("sealed_payload")), RetrievedPayload.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertVersionsEqual(Org org, String name) {
        Response rest = as(org.adminKey())
                .queryParam("env", "dev")
                .get("/organization/" + org.id() + "/secrets/" + name + "/versions");
        rest.then().statusCode(200);
        SecretVersionList grpc = Grpc.secrets(org.adminKey())
                .listSecretVersions(ListSecretVersionsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setEnvironment("dev")
                        .setName(name)
                        .build());
        assertEquals((String) rest.path("name"), grpc.getName());
        assertEquals((String) rest.path("environment"), grpc.getEnvironment());
        assertEquals((Integer) rest.path("current_version"), grpc.getCurrentVersion());
        assertEquals((Boolean) rest.path("deleted"), grpc.getDeleted());
        assertEquals((Boolean) rest.path("purged"), grpc.getPurged());
        List<Map<String, Object>> restRows = rest.path("versions");
        assertEquals(restRows.size(), grpc.getVersionsCount());
        for (int i = 0; i < restRows.size(); i++) {
            Map<String, Object> r = restRows.get(i);
            SecretVersion g = grpc.getVersions(i);
            assertEquals(r.get("version"), g.getVersion());
            assertEquals(
                    Instant.parse((String) r.get("created_at")),
                    Instant.ofEpochSecond(
                            g.getCreatedAt().getSeconds(), g.getCreatedAt().getNanos()));
            assertEquals(r.get("created_by"), g.getCreatedBy());
            assertEquals(r.get("tags"), g.getTagsList());
            assertEquals(r.get("destroyed"), g.getDestroyed());
        }
    }

    @Test
    void restAndGrpcSeeTheSameTagsAndEnvironments() {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("color", "#112233", "description", "from rest"))
                .put("/organization/" + org.id() + "/tags/rest-tag")
                .then()
                .statusCode(200);
        Grpc.tags(org.adminKey())
                .putTag(PutTagRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("grpc-tag")
                        .setMetadata(TagMetadata.newBuilder().setColor("#445566"))
                        .build());
        as(org.adminKey())
                .body(Map.of("name", "rest-env"))
                .post("/organization/" + org.id() + "/environments")
                .then()
                .statusCode(201);
        Grpc.environments(org.adminKey())
                .createEnvironment(CreateEnvironmentRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("grpc-env")
                        .build());

        List<Map<String, Object>> restTags =
                as(org.adminKey()).get("/organization/" + org.id() + "/tags").path("tags");
        var grpcTags = Grpc.tags(org.adminKey())
                .listTags(
                        ListTagsRequest.newBuilder().setOrganizationId(org.id()).build())
                .getTagsList();
        assertEquals(restTags.size(), grpcTags.size());
        for (int i = 0; i < restTags.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) restTags.get(i).get("metadata");
            assertEquals(restTags.get(i).get("name"), grpcTags.get(i).getName());
            assertEquals(
                    orEmpty(metadata.get("color")),
                    grpcTags.get(i).getMetadata().getColor());
            assertEquals(
                    orEmpty(metadata.get("description")),
                    grpcTags.get(i).getMetadata().getDescription());
        }

        List<Map<String, Object>> restEnvs = as(org.adminKey())
                .get("/organization/" + org.id() + "/environments")
                .path("environments");
        var grpcEnvs = Grpc.environments(org.adminKey())
                .listEnvironments(ListEnvironmentsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build())
                .getEnvironmentsList();
        assertEquals(
                restEnvs.stream().map(e -> e.get("name")).toList(),
                grpcEnvs.stream().map(e -> e.getName()).toList());
        assertEquals(
                restEnvs.stream().map(e -> e.get("builtin")).toList(),
                grpcEnvs.stream().map(e -> e.getBuiltin()).toList());
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }

    @Test
    void theSameBadInputsGiveTheSameCodesAndDetails() throws Exception {
        Org org = Api.newOrg();
        String token = org.adminKey();
        String viewer = Api.apiKey(org, "viewer");
        String id = org.id();
        Api.storeOk(org, "dev", "IN_USE", "v", List.of("busy"));
        Api.storeOk(org, "dev", "PURGED", "v", null);
        as(token)
                .queryParam("purge", true)
                .delete("/organization/" + id + "/secrets/PURGED")
                .then()
                .statusCode(204);
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        String weakPem = Pem.encode(weak.generateKeyPair().getPublic());
        String goodSealed = Grpc.storeRequest(token, id, "dev", "X", "v", null).getEncryptedValue();
        // sealed values are bound to their name: the version checks need one sealed for IN_USE
        String inUseSealed =
                Grpc.storeRequest(token, id, "dev", "IN_USE", "v", null).getEncryptedValue();
        String bigSealed = Grpc.storeRequest(token, id, "dev", "X", "x".repeat(64 * 1024 + 1), null)
                .getEncryptedValue();

        record Case(String name, Supplier<Response> rest, Executable grpc) {}
        List<Case> cases = List.of(
                new Case(
                        "invalid name",
                        () -> Api.storeSealed(org, "dev", "1BAD", goodSealed, null),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "1BAD", "v", null)
                                        .build())),
                new Case(
                        "unsealed",
                        () -> as(token)
                                .body(Map.of("name", "OK", "encrypted_value", goodSealed, "sealed", false))
                                .put("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "OK", "v", null)
                                        .setSealed(false)
                                        .build())),
                new Case(
                        "not sealed to the org",
                        () -> Api.storeSealed(org, "dev", "OK", "bm90IHNlYWxlZA==", null),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "OK", "v", null)
                                        .setEncryptedValue("bm90IHNlYWxlZA==")
                                        .build())),
                new Case(
                        "value too large",
                        () -> Api.storeSealed(org, "dev", "BIG", bigSealed, null),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "BIG", "v", null)
                                        .setEncryptedValue(bigSealed)
                                        .build())),
                new Case(
                        "invalid tag",
                        () -> Api.storeSealed(org, "dev", "OK", goodSealed, List.of("NOPE!")),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "OK", "v", null)
                                        .setTags(TagNames.newBuilder().addNames("NOPE!"))
                                        .build())),
                new Case(
                        "too many tags",
                        () -> Api.storeSealed(org, "dev", "OK", goodSealed, manyTags()),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "OK", "v", null)
                                        .setTags(TagNames.newBuilder().addAllNames(manyTags()))
                                        .build())),
                new Case(
                        "invalid environment",
                        () -> as(token).queryParam("env", "BAD ENV").get("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(token)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setEnvironment("BAD ENV")
                                        .build())),
                new Case(
                        "unknown environment",
                        () -> as(token).queryParam("env", "nowhere").get("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(token)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setEnvironment("nowhere")
                                        .build())),
                new Case(
                        "no client key",
                        () -> as(token)
                                .body(Map.of("environment", "dev"))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .build())),
                new Case(
                        "page limit above the bound",
                        () -> as(token)
                                .body(Map.of("environment", "dev", "limit", 501))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setLimit(501)
                                        .build())),
                new Case(
                        "page after that is not a name",
                        () -> as(token)
                                .body(Map.of("environment", "dev", "after", "1BAD"))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setAfter("1BAD")
                                        .build())),
                new Case(
                        "weak client key",
                        () -> as(token)
                                .body(new RetrieveRequest("dev", null, null, weakPem, null))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setClientPublicKeyPem(weakPem)
                                        .build())),
                new Case(
                        "private JWK",
                        () -> as(token)
                                .body(new RetrieveRequest("dev", null, null, null, privateJwk()))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setClientPublicJwk(Grpc.struct(privateJwk()))
                                        .build())),
                new Case(
                        "viewer stores",
                        () -> as(viewer)
                                .body(Map.of("name", "OK", "encrypted_value", goodSealed, "sealed", true))
                                .put("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(viewer)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "OK", "v", null)
                                        .build())),
                new Case(
                        "viewer retrieves",
                        () -> as(viewer)
                                .body(new RetrieveRequest(
                                        "dev",
                                        null,
                                        null,
                                        null,
                                        TemporaryKey.generate().publicJwk()))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(viewer)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setClientPublicJwk(Grpc.struct(
                                                TemporaryKey.generate().publicJwk()))
                                        .build())),
                new Case(
                        "delete a missing secret",
                        () -> as(token).delete("/organization/" + id + "/secrets/NO_SUCH"),
                        () -> Grpc.secrets(token)
                                .deleteSecret(DeleteSecretRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("NO_SUCH")
                                        .build())),
                new Case(
                        "stale expected_version",
                        () -> as(token)
                                .body(Map.of(
                                        "name",
                                        "IN_USE",
                                        "encrypted_value",
                                        inUseSealed,
                                        "sealed",
                                        true,
                                        "expected_version",
                                        7))
                                .put("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "IN_USE", "v", null)
                                        .setExpectedVersion(7)
                                        .build())),
                new Case(
                        "expected_version 0 of a stored secret",
                        () -> as(token)
                                .body(Map.of(
                                        "name",
                                        "IN_USE",
                                        "encrypted_value",
                                        inUseSealed,
                                        "sealed",
                                        true,
                                        "expected_version",
                                        0))
                                .put("/organization/" + id + "/secrets"),
                        () -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, id, "dev", "IN_USE", "v", null)
                                        .setExpectedVersion(0)
                                        .build())),
                new Case(
                        "versions of a missing secret",
                        () -> as(token).get("/organization/" + id + "/secrets/NO_SUCH/versions"),
                        () -> Grpc.secrets(token)
                                .listSecretVersions(ListSecretVersionsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("NO_SUCH")
                                        .build())),
                new Case(
                        "rollback to a missing version",
                        () -> as(token)
                                .body(Map.of("version", 5))
                                .post("/organization/" + id + "/secrets/IN_USE/rollback"),
                        () -> Grpc.secrets(token)
                                .rollbackSecret(RollbackSecretRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("IN_USE")
                                        .setVersion(5)
                                        .build())),
                new Case(
                        "rollback without a version",
                        () -> as(token).body(Map.of()).post("/organization/" + id + "/secrets/IN_USE/rollback"),
                        () -> Grpc.secrets(token)
                                .rollbackSecret(RollbackSecretRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("IN_USE")
                                        .build())),
                new Case(
                        "restore a purged secret",
                        () -> as(token).post("/organization/" + id + "/secrets/PURGED/restore"),
                        () -> Grpc.secrets(token)
                                .restoreSecret(RestoreSecretRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("PURGED")
                                        .build())),
                new Case(
                        "rollback a purged secret",
                        () -> as(token)
                                .body(Map.of("version", 1))
                                .post("/organization/" + id + "/secrets/PURGED/rollback"),
                        () -> Grpc.secrets(token)
                                .rollbackSecret(RollbackSecretRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("PURGED")
                                        .setVersion(1)
                                        .build())),
                new Case(
                        "pinned version 0",
                        () -> as(token)
                                .body(new RetrieveRequest(
                                        "dev",
                                        null,
                                        null,
                                        null,
                                        TemporaryKey.generate().publicJwk(),
                                        null,
                                        Map.of("IN_USE", 0)))
                                .post("/organization/" + id + "/secrets/retrieve"),
                        () -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setClientPublicJwk(Grpc.struct(
                                                TemporaryKey.generate().publicJwk()))
                                        .putVersions("IN_USE", 0)
                                        .build())),
                new Case(
                        "delete a tag in use",
                        () -> as(token).delete("/organization/" + id + "/tags/busy"),
                        () -> Grpc.tags(token)
                                .deleteTag(DeleteTagRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("busy")
                                        .build())),
                new Case(
                        "bad tag colour",
                        () -> as(token).body(Map.of("color", "red")).put("/organization/" + id + "/tags/colour"),
                        () -> Grpc.tags(token)
                                .putTag(PutTagRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("colour")
                                        .setMetadata(TagMetadata.newBuilder().setColor("red"))
                                        .build())),
                new Case(
                        "existing environment",
                        () -> as(token).body(Map.of("name", "prod")).post("/organization/" + id + "/environments"),
                        () -> Grpc.environments(token)
                                .createEnvironment(CreateEnvironmentRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .setName("prod")
                                        .build())),
                new Case(
                        "unknown organization",
                        () -> as(token).get("/organization/00000000-0000-0000-0000-000000000000/tags"),
                        () -> Grpc.tags(token)
                                .listTags(ListTagsRequest.newBuilder()
                                        .setOrganizationId("00000000-0000-0000-0000-000000000000")
                                        .build())),
                new Case(
                        "no credentials",
                        () -> io.restassured.RestAssured.given().get("/organization/" + id + "/tags"),
                        () -> Grpc.tags(null)
                                .listTags(ListTagsRequest.newBuilder()
                                        .setOrganizationId(id)
                                        .build())));

        List<String> seen = new ArrayList<>();
        for (Case c : cases) {
            Response rest = c.rest().get();
            Failure grpc = Grpc.failure(c.grpc());
            String restCode = rest.path("code");
            ErrorCode code = ErrorCode.fromCode(restCode)
                    .orElseThrow(() -> new AssertionError(c.name() + ": REST code " + restCode));
            assertEquals(restCode, grpc.code(), c.name());
            assertEquals(code.status(), rest.statusCode(), c.name());
            assertEquals(GrpcErrors.statusOf(code), grpc.status(), c.name());
            if (code != ErrorCode.UNAUTHENTICATED) {
                assertEquals((String) rest.path("detail"), grpc.description(), c.name() + ": the same detail");
            }
            seen.add(restCode);
        }
        assertEquals(cases.size(), seen.size());
    }

    private static List<String> manyTags() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tags.add("t" + i);
        }
        return tags;
    }

    private static Map<String, Object> privateJwk() {
        Map<String, Object> jwk = new HashMap<>(TemporaryKey.generate().publicJwk());
        jwk.put("d", "AAAA");
        return jwk;
    }
}
