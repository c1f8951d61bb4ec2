package dev.crate.server.api.grpc;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.api.grpc.Rpcs.Outcome;
import dev.crate.server.api.grpc.Rpcs.Rpc;
import dev.crate.server.api.grpc.Rpcs.Rule;
import dev.crate.server.api.grpc.v1.GetPublicKeyRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListTagsRequest;
import dev.crate.server.api.grpc.v1.SecretsServiceGrpc;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Authentication, the permission table and the org boundary over gRPC: the same bearer tokens, roles,
 * grants and 404-for-another-org as REST.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class GrpcAccessTest {

    @Test
    void everyServedRpcIsInThePermissionTable() {
        List<String> listed = Rpcs.ALL.stream().map(Rpc::method).toList();
        for (String method : Rpcs.served()) {
            assertTrue(
                    listed.contains(method),
                    method + " is served but not in Rpcs.ALL: add it and its rule (docs/SECURITY.md)");
        }
    }

    @Test
    void everyRpcRefusesACallWithoutCredentials() {
        Org org = Api.newOrg();
        for (Rpc rpc : Rpcs.ALL) {
            Outcome outcome = rpc.outcome(null, org.id(), "dev", rpc.defaultName());
            assertEquals(Status.Code.UNAUTHENTICATED, outcome.status(), rpc.method());
            assertEquals("unauthenticated", outcome.code(), rpc.method());
        }
    }

    @Test
    void unusableTokensAreUnauthenticated() throws Exception {
        Org org = Api.newOrg();
        String revoked = revokedKey(org);
        JwtClaims expired = claims();
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 120));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Map<String, String> tokens = Map.of(
                "unknown API key",
                "crate_unknownGrpcKey000000000000000000000000000000",
                "revoked API key",
                revoked,
                "garbage",
                "not-a-token",
                "garbage JWT",
                "aaa.bbb.ccc",
                "expired JWT signed by the IdP",
                sign(
                        expired,
                        KeycloakResource.realmKid(),
                        KeycloakResource.realmKey().getPrivate()),
                "JWT signed by another key",
                sign(
                        claims(),
                        KeycloakResource.realmKid(),
                        generator.generateKeyPair().getPrivate()));
        Rpc list = Rpcs.ALL.get(1);
        tokens.forEach((what, token) -> {
            Outcome outcome = list.outcome(token, org.id(), "dev", "X");
            assertEquals(Status.Code.UNAUTHENTICATED, outcome.status(), what);
            assertEquals("unauthenticated", outcome.code(), what);
        });
    }

    @Test
    void anIdentityProviderUserWorksWithTheirMembership() {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("email", "dave@example.com", "role", "admin"))
                .post("/organization/" + org.id() + "/members")
                .then()
                .statusCode(201);
        String dave = KeycloakResource.passwordToken("dave", "dave-password");
        Grpc.store(dave, org.id(), "dev", "DAVE_SECRET", "daves value", null);
        assertEquals("daves value", Api.value(Grpc.retrieve(dave, org.id(), "dev", null, null), "DAVE_SECRET"));
    }

    @Test
    void theResponseCarriesTheRequestIdAndKeepsASaneIncomingOne() {
        Org org = Api.newOrg();
        Metadata outgoing = new Metadata();
        outgoing.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "grpc-test-request-0001");
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        SecretsServiceGrpc.SecretsServiceBlockingStub stub = Grpc.secrets(org.adminKey())
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(outgoing),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        stub.getPublicKey(
                GetPublicKeyRequest.newBuilder().setOrganizationId(org.id()).build());
        assertEquals(
                "grpc-test-request-0001",
                headers.get().get(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER)));

        Grpc.failure(() -> Grpc.secrets(org.adminKey())
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .getPublicKey(GetPublicKeyRequest.newBuilder()
                        .setOrganizationId(UUID.randomUUID().toString())
                        .build()));
        Metadata failed = new Metadata();
        if (headers.get() != null) {
            failed.merge(headers.get());
        }
        failed.merge(trailers.get());
        assertNotNull(
                failed.get(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER)),
                "a failed call tells its request id too");
    }

    @Test
    void apiKeysOfEachRoleGetExactlyTheirCells() {
        Org org = Api.newOrg();
        Map<String, String> keys = new HashMap<>();
        keys.put("admin", org.adminKey());
        keys.put(
                "member-dev",
                as(org.adminKey())
                        .body(Map.of(
                                "name", "dev rw", "role", "member", "grants", Map.of("dev", List.of("read", "write"))))
                        .post("/organization/" + org.id() + "/api-keys")
                        .path("key"));
        keys.put("member-none", Api.apiKey(org, "member"));
        keys.put("viewer", Api.apiKey(org, "viewer"));
        keys.forEach((role, key) -> check(role, key, org));
    }

    @Test
    void usersOfEachRoleGetExactlyTheirCells() {
        // dave is the gRPC tests' own user: other tests expect alice and bob to have no memberships but theirs.
        Org org = Api.newOrg();
        String dave = KeycloakResource.passwordToken("dave", "dave-password");
        String daveId = as(org.adminKey())
                .body(Map.of("email", "dave@example.com", "role", "viewer"))
                .post("/organization/" + org.id() + "/members")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Map<String, Object>> roles = Map.of(
                "admin", Map.of("role", "admin"),
                "member-dev", Map.of("role", "member", "grants", Map.of("dev", List.of("read", "write"))),
                "member-none", Map.of("role", "member", "grants", Map.of()),
                "viewer", Map.of("role", "viewer"));
        // sorted, as in PermissionMatrixTest: Map.of's order changes from one JVM to the next
        new java.util.TreeMap<>(roles).forEach((role, change) -> {
            as(org.adminKey())
                    .body(change)
                    .patch("/organization/" + org.id() + "/members/" + daveId)
                    .then()
                    .statusCode(200);
            check(role, dave, org);
        });
    }

    @Test
    void anotherOrgsIdsAnswerLikeMissingOnesOnEveryRpcAndChangeNothing() {
        Org alice = Api.newOrg();
        Org bob = Api.newOrg();
        Api.storeOk(alice, "dev", "ALICE_ONLY", "alice-value", List.of("alice-tag"));
        String missingOrg = UUID.randomUUID().toString();
        String bobsUser = KeycloakResource.passwordToken("dave", "dave-password");
        as(bob.adminKey())
                .body(Map.of("email", "dave@example.com", "role", "admin"))
                .post("/organization/" + bob.id() + "/members")
                .then()
                .statusCode(201);
        for (Rpc rpc : Rpcs.ALL) {
            String name = rpc.method().contains("Tag") ? "alice-tag" : "ALICE_ONLY";
            for (String token : List.of(bob.adminKey(), bobsUser)) {
                Outcome cross = rpc.outcome(token, alice.id(), "dev", name);
                Outcome missing = rpc.outcome(token, missingOrg, "dev", name);
                assertEquals(Status.Code.NOT_FOUND, cross.status(), rpc.method());
                assertEquals("organization_not_found", cross.code(), rpc.method());
                assertEquals(missing, cross, rpc.method());
            }
            if (rpc.method().endsWith("DeleteSecret")
                    || rpc.method().endsWith("DeleteTag")
                    || rpc.method().endsWith("SecretVersions")
                    || rpc.method().endsWith("RollbackSecret")
                    || rpc.method().endsWith("RestoreSecret")) {
                Outcome foreignObject = rpc.outcome(bob.adminKey(), bob.id(), "dev", name);
                Outcome missingObject = rpc.outcome(
                        bob.adminKey(), bob.id(), "dev", rpc.method().contains("Tag") ? "no-such-tag" : "NO_SUCH");
                assertEquals(missingObject.status(), foreignObject.status(), rpc.method());
                assertEquals(missingObject.code(), foreignObject.code(), rpc.method());
            }
        }
        assertEquals("alice-value", Api.value(Api.retrieve(alice, "dev", null, null), "ALICE_ONLY"));
        assertEquals(
                List.of("alice-tag"),
                Grpc.tags(alice.adminKey())
                        .listTags(ListTagsRequest.newBuilder()
                                .setOrganizationId(alice.id())
                                .build())
                        .getTagsList()
                        .stream()
                        .map(t -> t.getName())
                        .toList());
        assertEquals(
                1,
                Grpc.secrets(alice.adminKey())
                        .listSecrets(ListSecretsRequest.newBuilder()
                                .setOrganizationId(alice.id())
                                .build())
                        .getSecretsCount());
    }

    private static boolean expectedAllowed(Rule rule, String role, String env) {
        return switch (rule) {
            case ANY -> true;
            case ADMIN -> role.equals("admin");
            case READ, WRITE -> role.equals("admin") || role.equals("member-dev") && env.equals("dev");
        };
    }

    private static void check(String role, String token, Org org) {
        List<String> wrong = new ArrayList<>();
        for (Rpc rpc : Rpcs.ALL) {
            for (String env : List.of("dev", "prod")) {
                Outcome outcome = rpc.outcome(token, org.id(), env, rpc.defaultName());
                boolean allowed = expectedAllowed(rpc.rule(), role, env);
                if (allowed ? !outcome.reached() : !outcome.denied()) {
                    wrong.add(role + " " + rpc.method() + " env=" + env + " -> " + outcome + " (expected "
                            + (allowed ? "allowed" : "PERMISSION_DENIED") + ")");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static String revokedKey(Org org) {
        var created = as(org.adminKey())
                .body(Map.of("name", "to revoke", "role", "admin"))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract();
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/api-keys/" + created.path("id"))
                .then()
                .statusCode(204);
        return created.path("key");
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(KeycloakResource.issuer());
        claims.setAudience("crate");
        claims.setSubject("grpc-forged-subject");
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    private static String sign(JwtClaims claims, String kid, PrivateKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key);
        return jws.getCompactSerialization();
    }
}
