package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.crate.server.identity.ApiKeyFormat;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tags, environments, organizations and API keys. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class CatalogTest {
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    private String base() {
        return "/organization/" + org.id();
    }

    @Test
    void storingWithANewTagAddsItToTheCatalogAndMetadataCanBeSet() {
        Api.storeOk(org, "dev", "A", "1", List.of("backend"));
        as(org.adminKey()).get(base() + "/tags").then().body("tags.name", contains("backend"));
        as(org.adminKey())
                .body(Map.of("color", "#ff0000", "description", "Backend services"))
                .put(base() + "/tags/backend")
                .then()
                .statusCode(200)
                .body("metadata.color", equalTo("#ff0000"));
        as(org.adminKey())
                .get(base() + "/tags")
                .then()
                .body("tags[0].metadata.description", equalTo("Backend services"));
        as(org.adminKey())
                .body(Map.of("color", "red"))
                .put(base() + "/tags/backend")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_tag_metadata"));
    }

    @Test
    void aTagInUseCannotBeDeletedAnUnusedOneCan() {
        Api.storeOk(org, "dev", "A", "1", List.of("backend"));
        as(org.adminKey())
                .delete(base() + "/tags/backend")
                .then()
                .statusCode(409)
                .body("code", equalTo("tag_in_use"));
        as(org.adminKey()).delete(base() + "/secrets/A").then().statusCode(204);
        as(org.adminKey()).delete(base() + "/tags/backend").then().statusCode(204);
        as(org.adminKey())
                .delete(base() + "/tags/backend")
                .then()
                .statusCode(404)
                .body("code", equalTo("tag_not_found"));
    }

    @Test
    void builtInEnvironmentsAlwaysExistAndNewOnesCanBeAdded() {
        as(org.adminKey())
                .get(base() + "/environments")
                .then()
                .statusCode(200)
                .body("environments.name", contains("dev", "staging", "prod"));
        as(org.adminKey())
                .body(Map.of("name", "qa"))
                .post(base() + "/environments")
                .then()
                .statusCode(201)
                .body("name", equalTo("qa"))
                .body("builtin", equalTo(false));
        as(org.adminKey())
                .body(Map.of("name", "qa"))
                .post(base() + "/environments")
                .then()
                .statusCode(409)
                .body("code", equalTo("environment_exists"));
        as(org.adminKey())
                .body(Map.of("name", "QA!"))
                .post(base() + "/environments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_environment"));
        as(org.adminKey()).get(base() + "/environments").then().body("environments.name", hasItem("qa"));
    }

    @Test
    void aNewOrganizationComesWithAWorkingAdminKeyAndIsListedAsMine() {
        as(org.adminKey()).get("/organizations").then().statusCode(200).body("organizations.id", contains(org.id()));
        as(org.adminKey()).get(base()).then().statusCode(200).body("id", equalTo(org.id()));
        Response created = as(PostgresResource.ADMIN_TOKEN)
                .body(Map.of("name", "dup-" + org.id().substring(0, 8)))
                .post("/organizations");
        created.then().statusCode(201);
        as(PostgresResource.ADMIN_TOKEN)
                .body(Map.of("name", "dup-" + org.id().substring(0, 8)))
                .post("/organizations")
                .then()
                .statusCode(409)
                .body("code", equalTo("organization_exists"));
        as(PostgresResource.ADMIN_TOKEN)
                .body(Map.of("name", ""))
                .post("/organizations")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_organization_name"));
    }

    @Test
    void apiKeysAreShownOnceAndListedWithoutKeyMaterial() {
        Response created = as(org.adminKey())
                .body(Map.of("name", "CI/CD Pipeline", "role", "viewer"))
                .post(base() + "/api-keys");
        created.then().statusCode(201).body("key", startsWith("crate_")).body("role", equalTo("viewer"));
        String key = created.path("key");
        Assertions.assertTrue(ApiKeyFormat.wellFormed(key));
        String listing = as(org.adminKey())
                .get(base() + "/api-keys")
                .then()
                .statusCode(200)
                .body("api_keys.name", hasItem("CI/CD Pipeline"))
                .body("api_keys.key", not(hasItem(key)))
                .extract()
                .asString();
        Assertions.assertFalse(listing.contains(key));
        as(org.adminKey())
                .body(Map.of("name", "x", "role", "owner"))
                .post(base() + "/api-keys")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_api_key_request"));
        as(org.adminKey())
                .body(Map.of("name", "x", "role", "admin", "expires_at", "2001-01-01T00:00:00Z"))
                .post(base() + "/api-keys")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_api_key_request"));
    }
}
