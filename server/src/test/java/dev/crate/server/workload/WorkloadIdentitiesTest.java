package dev.crate.server.workload;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding management: admin only, validated, never wider than its creator. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class WorkloadIdentitiesTest {
    private Org org;

    @BeforeEach
    void org() {
        org = Api.newOrg();
    }

    private static Map<String, Object> valid() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "ci");
        body.put("issuer", "https://token.actions.githubusercontent.com");
        body.put("audience", "crate");
        body.put("subject", "repo:acme/payments:ref:refs/heads/main");
        body.put("claims", Map.of("repository", "acme/payments"));
        body.put("role", "member");
        body.put("grants", Map.of("dev", List.of("read")));
        body.put("environments", List.of("dev"));
        return body;
    }

    private Response create(String key, Map<String, Object> body) {
        return as(key).body(body).post("/organization/" + org.id() + "/workload-identities");
    }

    private void refusedAsInvalid(Map<String, Object> body) {
        create(org.adminKey(), body).then().statusCode(400).body("code", equalTo("invalid_workload_identity"));
    }

    @Test
    void anAdminCreatesListsGetsChangesAndDeletesABinding() {
        String id = create(org.adminKey(), valid())
                .then()
                .statusCode(201)
                .body("created_at", notNullValue())
                .body("created_by", notNullValue())
                .body("token_ttl_seconds", equalTo(900))
                .body("claims.repository", equalTo("acme/payments"))
                .body("read_only", equalTo(false))
                .extract()
                .path("id");
        String path = "/organization/" + org.id() + "/workload-identities";
        as(org.adminKey()).get(path).then().statusCode(200).body("workload_identities", hasSize(1));
        as(org.adminKey()).get(path + "/" + id).then().statusCode(200).body("name", equalTo("ci"));
        as(org.adminKey())
                .body(Map.of("token_ttl_seconds", 3600, "read_only", true))
                .patch(path + "/" + id)
                .then()
                .statusCode(200)
                .body("token_ttl_seconds", equalTo(3600))
                .body("read_only", equalTo(true))
                .body("subject", equalTo("repo:acme/payments:ref:refs/heads/main"))
                .body("updated_at", notNullValue());
        as(org.adminKey()).delete(path + "/" + id).then().statusCode(204);
        as(org.adminKey())
                .get(path + "/" + id)
                .then()
                .statusCode(404)
                .body("code", equalTo("workload_identity_not_found"));
    }

    @Test
    void aNonAdminIsRefused() {
        String member = Api.apiKey(org, "member");
        create(member, valid()).then().statusCode(403).body("code", equalTo("forbidden"));
        as(member)
                .get("/organization/" + org.id() + "/workload-identities")
                .then()
                .statusCode(403);
    }

    @Test
    void aReadOnlyAdminCannotBind() {
        String readOnly = as(org.adminKey())
                .body(Map.of("name", "auditor", "role", "admin", "read_only", true))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        create(readOnly, valid()).then().statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void aPlainHttpIssuerIsRefusedButLoopbackIsAllowedForTests() {
        Map<String, Object> body = valid();
        body.put("issuer", "http://issuer.example.com");
        refusedAsInvalid(body);
        body.put("issuer", "ftp://issuer.example.com");
        refusedAsInvalid(body);
        body.put("issuer", "https://user@issuer.example.com");
        refusedAsInvalid(body);
        body.put("issuer", "http://127.0.0.1:8080/k8s");
        create(org.adminKey(), body).then().statusCode(201);
    }

    @Test
    void requiredFieldsAndTheirShapesAreChecked() {
        for (String field : List.of("name", "issuer", "audience", "subject", "role")) {
            Map<String, Object> body = valid();
            body.remove(field);
            refusedAsInvalid(body);
        }
        Map<String, Object> reserved = valid();
        reserved.put("claims", Map.of("aud", "crate"));
        refusedAsInvalid(reserved);
        Map<String, Object> role = valid();
        role.put("role", "owner");
        refusedAsInvalid(role);
        Map<String, Object> grants = valid();
        grants.put("role", "viewer");
        create(org.adminKey(), grants).then().statusCode(400).body("code", equalTo("invalid_grants"));
    }

    @Test
    void theTokenLifetimeIsBounded() {
        for (int ttl : new int[] {0, 59, 43_201}) {
            Map<String, Object> body = valid();
            body.put("token_ttl_seconds", ttl);
            refusedAsInvalid(body);
        }
        Map<String, Object> max = valid();
        max.put("token_ttl_seconds", 43_200);
        create(org.adminKey(), max).then().statusCode(201).body("token_ttl_seconds", equalTo(43_200));
    }

    @Test
    void aBindingWiderThanItsCreatorIsRefused() {
        String devAdmin = as(org.adminKey())
                .body(Map.of("name", "dev admin", "role", "admin", "environments", List.of("dev")))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        Map<String, Object> wider = valid();
        wider.put("environments", List.of("dev", "prod"));
        create(devAdmin, wider).then().statusCode(403).body("code", equalTo("workload_scope_exceeds_creator"));
        Map<String, Object> unrestricted = valid();
        unrestricted.remove("environments");
        create(devAdmin, unrestricted).then().statusCode(403).body("code", equalTo("workload_scope_exceeds_creator"));
        String id = create(devAdmin, valid()).then().statusCode(201).extract().path("id");
        // nor can it be widened later
        as(devAdmin)
                .body(Map.of("environments", List.of("prod")))
                .patch("/organization/" + org.id() + "/workload-identities/" + id)
                .then()
                .statusCode(403)
                .body("code", equalTo("workload_scope_exceeds_creator"));
    }

    @Test
    void aBindingOutsideItsCreatorsTagsIsRefused() {
        String backendAdmin = as(org.adminKey())
                .body(Map.of("name", "backend admin", "role", "admin", "tags", List.of("backend")))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        create(backendAdmin, valid()).then().statusCode(403).body("code", equalTo("workload_scope_exceeds_creator"));
        Map<String, Object> otherTag = valid();
        otherTag.put("tags", List.of("backend", "billing"));
        create(backendAdmin, otherTag).then().statusCode(403).body("code", equalTo("workload_scope_exceeds_creator"));
        Map<String, Object> within = valid();
        within.put("tags", List.of("backend"));
        create(backendAdmin, within).then().statusCode(201);
    }

    @Test
    void anUnknownOrMalformedBindingIdIsNotFound() {
        as(org.adminKey())
                .get("/organization/" + org.id() + "/workload-identities/not-a-uuid")
                .then()
                .statusCode(404)
                .body("code", equalTo("workload_identity_not_found"));
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/workload-identities/" + java.util.UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("code", equalTo("workload_identity_not_found"));
    }
}
