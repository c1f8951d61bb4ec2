package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A body with a key twice is a 400 malformed_request problem on every route, small bodies included. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class DuplicateKeysTest {
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    private static void malformed(Response response) {
        response.then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("code", equalTo("malformed_request"))
                .body("request_id", notNullValue());
    }

    @Test
    void rejectsADuplicateKeyInAnEnvironmentCreate() {
        malformed(as(org.adminKey())
                .body("{\"name\":\"qa\",\"name\":\"qa2\"}")
                .post("/organization/" + org.id() + "/environments"));
        as(org.adminKey())
                .get("/organization/" + org.id() + "/environments")
                .then()
                .body("environments.size()", equalTo(3));
    }

    @Test
    void rejectsADuplicateKeyInAnOrganizationCreate() {
        malformed(as(PostgresResource.ADMIN_TOKEN)
                .body("{\"name\":\"dup-a\",\"name\":\"dup-b\"}")
                .post("/organizations"));
    }

    @Test
    void rejectsADuplicateKeyInAKeyRotation() {
        malformed(as(org.adminKey())
                .body("{\"tier\":\"org\",\"tier\":\"transport\"}")
                .post("/organization/" + org.id() + "/keys/rotate"));
    }

    @Test
    void rejectsADuplicateKeyInARollback() {
        Api.storeOk(org, "dev", "A", "one", null);
        Api.storeOk(org, "dev", "A", "two", null);
        malformed(as(org.adminKey())
                .body("{\"version\":1,\"version\":1}")
                .post("/organization/" + org.id() + "/secrets/A/rollback?env=dev"));
    }

    @Test
    void rejectsADuplicateKeyInAStore() {
        malformed(as(org.adminKey())
                .body("{\"name\":\"A\",\"name\":\"B\",\"sealed\":true,\"encrypted_value\":\"x\"}")
                .put("/organization/" + org.id() + "/secrets"));
        as(org.adminKey()).get("/organization/" + org.id() + "/secrets").then().body("secrets.size()", equalTo(0));
    }
}
