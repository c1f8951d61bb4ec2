package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who gets in: tokens, roles, and the rule that another org's objects look missing. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class AccessTest {
    private Org alice;
    private Org bob;

    @BeforeEach
    void orgs() {
        alice = Api.newOrg();
        bob = Api.newOrg();
        Api.storeOk(alice, "dev", "ALICE_SECRET", "a-value", List.of("backend"));
    }

    /** Every org-scoped endpoint, as (token, org id) -> response. */
    private List<BiFunction<String, String, Response>> endpoints() {
        String sealedPlaceholder = "AAAA";
        return List.of(
                (t, o) -> as(t).get("/organization/" + o),
                (t, o) -> as(t).get("/organization/" + o + "/secrets"),
                (t, o) -> as(t).get("/organization/" + o + "/secrets/public-key"),
                (t, o) -> as(t).body(
                                Map.of("name", "ALICE_SECRET", "encrypted_value", sealedPlaceholder, "sealed", true))
                        .put("/organization/" + o + "/secrets"),
                (t, o) -> as(t).body(Map.of(
                                "names",
                                List.of("ALICE_SECRET"),
                                "client_public_jwk",
                                TemporaryKey.generate().publicJwk()))
                        .post("/organization/" + o + "/secrets/retrieve"),
                (t, o) -> as(t).delete("/organization/" + o + "/secrets/ALICE_SECRET"),
                (t, o) -> as(t).get("/organization/" + o + "/tags"),
                (t, o) -> as(t).body(Map.of("color", "#00ff00")).put("/organization/" + o + "/tags/backend"),
                (t, o) -> as(t).delete("/organization/" + o + "/tags/backend"),
                (t, o) -> as(t).get("/organization/" + o + "/environments"),
                (t, o) -> as(t).body(Map.of("name", "qa")).post("/organization/" + o + "/environments"),
                (t, o) -> as(t).get("/organization/" + o + "/api-keys"),
                (t, o) -> as(t).body(Map.of("name", "x", "role", "admin")).post("/organization/" + o + "/api-keys"),
                (t, o) -> as(t).delete("/organization/" + o + "/api-keys/" + UUID.randomUUID()));
    }

    @Test
    void anotherOrgsObjectsAnswerExactlyLikeMissingOnesAndStayUnchanged() {
        String missing = UUID.randomUUID().toString();
        for (var endpoint : endpoints()) {
            Response cross = endpoint.apply(bob.adminKey(), alice.id());
            Response none = endpoint.apply(bob.adminKey(), missing);
            assertEquals(404, cross.statusCode(), cross.asString());
            assertEquals(none.statusCode(), cross.statusCode());
            assertEquals((String) none.path("code"), cross.path("code"));
            assertEquals((String) none.path("detail"), cross.path("detail"));
        }
        assertEquals("a-value", Api.value(Api.retrieve(alice, "dev", null, null), "ALICE_SECRET"));
        as(alice.adminKey())
                .get("/organization/" + alice.id() + "/tags")
                .then()
                .body("tags[0].metadata.color", equalTo(null));
        as(alice.adminKey())
                .get("/organization/" + alice.id() + "/environments")
                .then()
                .body("environments.size()", equalTo(3));
        as(alice.adminKey())
                .get("/organization/" + alice.id() + "/api-keys")
                .then()
                .body("api_keys.size()", equalTo(1));
    }

    @Test
    void requestsWithoutAValidTokenAre401() {
        for (var endpoint : endpoints()) {
            assertEquals(
                    401,
                    given().contentType(ContentType.JSON)
                            .get("/organization/" + alice.id() + "/secrets")
                            .statusCode());
            Response garbage = endpoint.apply("garbage", alice.id());
            assertEquals(401, garbage.statusCode(), garbage.asString());
            assertEquals("unauthenticated", garbage.path("code"));
        }
        given().header("Authorization", "Basic Zm9vOmJhcg==")
                .get("/organizations")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"crate\"");
    }

    @Test
    void aRevokedKeyIsRefusedOnTheNextRequest() {
        Response created = as(alice.adminKey())
                .body(Map.of("name", "ci", "role", "admin"))
                .post("/organization/" + alice.id() + "/api-keys");
        String key = created.path("key");
        as(key).get("/organization/" + alice.id() + "/secrets").then().statusCode(200);
        as(alice.adminKey())
                .delete("/organization/" + alice.id() + "/api-keys/" + created.path("id"))
                .then()
                .statusCode(204);
        as(key).get("/organization/" + alice.id() + "/secrets")
                .then()
                .statusCode(401)
                .body("code", equalTo("unauthenticated"));
    }

    @Test
    void theLastWorkingAdminKeyCannotBeRevoked() {
        String ownId = as(alice.adminKey())
                .get("/organization/" + alice.id() + "/api-keys")
                .path("api_keys[0].id");
        as(alice.adminKey())
                .delete("/organization/" + alice.id() + "/api-keys/" + ownId)
                .then()
                .statusCode(409)
                .body("code", equalTo("last_admin"));
        String second = Api.apiKey(alice, "admin");
        as(second)
                .delete("/organization/" + alice.id() + "/api-keys/" + ownId)
                .then()
                .statusCode(204);
        as(second).get("/organization/" + alice.id() + "/secrets").then().statusCode(200);
    }

    @Test
    void answersAreNeverCached() {
        as(alice.adminKey())
                .get("/organization/" + alice.id() + "/secrets")
                .then()
                .header("Cache-Control", "no-store");
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        Response created = as(alice.adminKey())
                .body(Map.of("name", "short", "role", "admin", "expires_at", "2099-01-01T00:00:00Z"))
                .post("/organization/" + alice.id() + "/api-keys");
        String key = created.path("key");
        as(key).get("/organization/" + alice.id() + "/secrets").then().statusCode(200);
        try (Connection c = PostgresResource.connect();
                var s = c.prepareStatement(
                        "update api_keys set expires_at = now() - interval '1 second' where id = ?")) {
            s.setObject(1, UUID.fromString(created.path("id")));
            assertEquals(1, s.executeUpdate());
            // a change by hand tells the replicas' caller caches, as docs/OPERATIONS.md section 3 says
            try (var notify = c.prepareStatement("select pg_notify('crate_callers', ?)")) {
                notify.setString(1, alice.id());
                notify.execute();
            }
        }
        // the notification arrives within milliseconds; allow a loaded machine a few seconds
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        while ((status = as(key).get("/organization/" + alice.id() + "/secrets").statusCode()) == 200
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(401, status);
    }

    @Test
    void aKeyOfAnotherOrgCannotRevokeKeysHere() {
        String aliceKeyId = as(alice.adminKey())
                .get("/organization/" + alice.id() + "/api-keys")
                .path("api_keys[0].id");
        as(bob.adminKey())
                .delete("/organization/" + bob.id() + "/api-keys/" + aliceKeyId)
                .then()
                .statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        as(alice.adminKey())
                .get("/organization/" + alice.id() + "/secrets")
                .then()
                .statusCode(200);
    }
}
