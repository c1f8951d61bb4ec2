package dev.crate.server.identity;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scoped API keys: environments, tags, read-only, grants; and the last_used_at record. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ApiKeyScopeTest {
    private Org org;

    @BeforeEach
    void seed() {
        org = Api.newOrg();
        Api.storeOk(org, "dev", "BACKEND_DEV", "b-dev", List.of("backend"));
        Api.storeOk(org, "dev", "FRONTEND_DEV", "f-dev", List.of("frontend"));
        Api.storeOk(org, "prod", "BACKEND_PROD", "b-prod", List.of("backend"));
    }

    private String key(Map<String, Object> scope) {
        Map<String, Object> body = new java.util.HashMap<>(scope);
        body.put("name", "scoped");
        return as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    private Response retrieve(String key, String env, List<String> names) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "environment", env, "client_public_jwk", TemporaryKey.generate().publicJwk()));
        if (names != null) {
            body.put("names", names);
        }
        return as(key).body(body).post("/organization/" + org.id() + "/secrets/retrieve");
    }

    private Response store(String key, String env, String name, List<String> tags) {
        Api.PublicKey publicKey = Api.publicKey(org);
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "name",
                name,
                "environment",
                env,
                "sealed",
                true,
                "encrypted_value",
                Sealing.sealJwe(
                        publicKey.key(),
                        publicKey.kid(),
                        Api.destination(org, env, name),
                        "v".getBytes(StandardCharsets.UTF_8))));
        if (tags != null) {
            body.put("tags", tags);
        }
        return as(key).body(body).put("/organization/" + org.id() + "/secrets");
    }

    @Test
    void anEnvironmentScopedKeyIsRefusedOutsideItsEnvironments() {
        String key = key(Map.of("role", "admin", "environments", List.of("dev")));
        retrieve(key, "dev", null).then().statusCode(200);
        retrieve(key, "prod", null).then().statusCode(403).body("code", equalTo("forbidden"));
        as(key).get("/organization/" + org.id() + "/secrets?env=prod").then().statusCode(403);
        store(key, "prod", "NEW", null).then().statusCode(403);
    }

    @Test
    void aTagScopedKeySeesOnlySecretsCarryingItsTags() throws Exception {
        String key = key(Map.of("role", "admin", "tags", List.of("backend")));
        as(key).get("/organization/" + org.id() + "/secrets")
                .then()
                .statusCode(200)
                .body("secrets.name", contains("BACKEND_DEV"));
        TemporaryKey temporary = TemporaryKey.generate();
        Response response = as(key).body(Map.of(
                        "environment",
                        "dev",
                        "names",
                        List.of("BACKEND_DEV", "FRONTEND_DEV"),
                        "client_public_jwk",
                        temporary.publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        RetrievedPayload payload =
                Api.JSON.readValue(temporary.open(response.path("sealed_payload")), RetrievedPayload.class);
        assertEquals(
                List.of("BACKEND_DEV"),
                payload.secrets().stream().map(s -> s.name()).toList());
        assertEquals(List.of("FRONTEND_DEV"), payload.missing());
        store(key, "dev", "FRONTEND_DEV", null).then().statusCode(404);
        store(key, "dev", "NEW_UNTAGGED", null).then().statusCode(403);
        store(key, "dev", "NEW_BACKEND", List.of("backend")).then().statusCode(200);
        as(key).delete("/organization/" + org.id() + "/secrets/FRONTEND_DEV")
                .then()
                .statusCode(404);
        as(key).get("/organization/" + org.id() + "/api-keys").then().statusCode(403);
    }

    @Test
    void olderVersionsStoredUnderHiddenTagsStayHidden() throws Exception {
        // version 1 carried only "frontend"; version 2 was retagged "backend"
        Api.storeOk(org, "dev", "MOVED", "frontend-only", List.of("frontend"));
        Api.storeOk(org, "dev", "MOVED", "now-backend", List.of("backend"));
        String key = key(Map.of("role", "admin", "tags", List.of("backend")));
        TemporaryKey temporary = TemporaryKey.generate();
        Response pinned = as(key).body(Map.of(
                        "environment",
                        "dev",
                        "versions",
                        Map.of("MOVED", 1),
                        "client_public_jwk",
                        temporary.publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        pinned.then().statusCode(200);
        RetrievedPayload payload =
                Api.JSON.readValue(temporary.open(pinned.path("sealed_payload")), RetrievedPayload.class);
        assertEquals(List.of(), payload.secrets());
        assertEquals(List.of("MOVED"), payload.missing());

        TemporaryKey current = TemporaryKey.generate();
        Response two = as(key).body(Map.of(
                        "environment", "dev", "versions", Map.of("MOVED", 2), "client_public_jwk", current.publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        RetrievedPayload latest = Api.JSON.readValue(current.open(two.path("sealed_payload")), RetrievedPayload.class);
        assertEquals("now-backend", latest.secrets().get(0).value());

        as(key).get("/organization/" + org.id() + "/secrets/MOVED/versions?env=dev")
                .then()
                .statusCode(200)
                .body("versions.version", contains(2));
        as(key).body(Map.of("version", 1))
                .post("/organization/" + org.id() + "/secrets/MOVED/rollback?env=dev")
                .then()
                .statusCode(404)
                .body("code", equalTo("version_not_found"));
        // an unrestricted key still sees both
        as(org.adminKey())
                .get("/organization/" + org.id() + "/secrets/MOVED/versions?env=dev")
                .then()
                .statusCode(200)
                .body("versions.version", contains(2, 1));
    }

    @Test
    void aHiddenSecretAnswersAsAMissingOneOnEveryRoute() {
        String key = key(Map.of("role", "admin", "tags", List.of("backend")));
        Response stored = store(key, "dev", "FRONTEND_DEV", List.of("backend"));
        Response versions = as(key).get("/organization/" + org.id() + "/secrets/FRONTEND_DEV/versions?env=dev");
        Response missing = as(key).get("/organization/" + org.id() + "/secrets/NO_SUCH/versions?env=dev");
        for (Response r : List.of(stored, versions, missing)) {
            r.then().statusCode(404).body("code", equalTo("secret_not_found"));
        }
        as(key).post("/organization/" + org.id() + "/secrets/FRONTEND_DEV/restore?env=dev")
                .then()
                .statusCode(404)
                .body("code", equalTo("secret_not_found"));
    }

    @Test
    void aReadOnlyKeyReadsButNeverWrites() {
        String key = key(Map.of("role", "admin", "read_only", true));
        retrieve(key, "dev", null).then().statusCode(200);
        store(key, "dev", "X", null).then().statusCode(403);
        as(key).delete("/organization/" + org.id() + "/secrets/BACKEND_DEV")
                .then()
                .statusCode(403);
        as(key).body(Map.of("name", "qa"))
                .post("/organization/" + org.id() + "/environments")
                .then()
                .statusCode(403);
    }

    @Test
    void aMemberKeyFollowsItsGrants() {
        String key = key(Map.of("role", "member", "grants", Map.of("dev", List.of("read"))));
        retrieve(key, "dev", null).then().statusCode(200);
        retrieve(key, "prod", null).then().statusCode(403);
        store(key, "dev", "X", null).then().statusCode(403);
    }

    @Test
    void grantsOnARoleOtherThanMemberAreRefused() {
        as(org.adminKey())
                .body(Map.of("name", "x", "role", "viewer", "grants", Map.of("dev", List.of("read"))))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_grants"));
        as(org.adminKey())
                .body(Map.of("name", "x", "role", "member", "grants", Map.of("dev", List.of("delete"))))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_grants"));
    }

    @Test
    void aScopedKeyCannotMintKeysOrOrganizations() {
        String key = key(Map.of("role", "admin", "environments", List.of("dev")));
        as(key).body(Map.of("name", "broader", "role", "admin"))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(403);
        as(key).body(Map.of("name", "escape-" + org.id().substring(0, 6)))
                .post("/organizations")
                .then()
                .statusCode(403);
    }

    @Test
    void useIsRecordedInLastUsedAt() {
        String key = key(Map.of("role", "viewer"));
        as(key).get("/organization/" + org.id() + "/secrets").then().statusCode(200);
        List<Map<String, Object>> listed = as(org.adminKey())
                .get("/organization/" + org.id() + "/api-keys")
                .path("api_keys");
        assertTrue(
                listed.stream().anyMatch(k -> "scoped".equals(k.get("name")) && k.get("last_used_at") != null),
                listed.toString());
    }
}
