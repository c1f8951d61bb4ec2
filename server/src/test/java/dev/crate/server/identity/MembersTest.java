package dev.crate.server.identity;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Membership by email or subject, role changes on the next request, and the last admin. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class MembersTest {

    private static String members(Org org) {
        return "/organization/" + org.id() + "/members";
    }

    @Test
    void aUserAddedByEmailIsBoundAtFirstLoginAndSeesTheOrg() {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("email", "bob@example.com", "role", "viewer"))
                .post(members(org))
                .then()
                .statusCode(201);
        String bob = KeycloakResource.passwordToken("bob", "bob-password");
        as(bob).get("/organization/" + org.id()).then().statusCode(200);
        as(bob).get("/organizations").then().statusCode(200).body("organizations.id", hasItem(org.id()));
        as(org.adminKey())
                .get(members(org))
                .then()
                .body("members[0].subject", notNullValue())
                .body("members[0].name", equalTo("Bob Berg"));
    }

    @Test
    void configuredBootstrapAdminsAdministerTheDefaultOrganization() {
        String bob = KeycloakResource.passwordToken("bob", "bob-password");
        java.util.List<Map<String, Object>> orgs =
                as(bob).get("/me").then().statusCode(200).extract().path("organizations");
        org.junit.jupiter.api.Assertions.assertTrue(
                orgs.stream().anyMatch(o -> "default".equals(o.get("name")) && "admin".equals(o.get("role"))),
                orgs.toString());
    }

    @Test
    void anUnverifiedEmailNeverClaimsAMembership() {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("email", "carol@example.com", "role", "admin"))
                .post(members(org))
                .then()
                .statusCode(201);
        String mallory = KeycloakResource.passwordToken("mallory", "mallory-password");
        as(mallory)
                .get("/organization/" + org.id())
                .then()
                .statusCode(404)
                .body("code", equalTo("organization_not_found"));
    }

    @Test
    void anUnverifiedEmailSeenBeforeIsNotBoundWhenAMemberIsAddedByThatEmail() {
        String mallory = KeycloakResource.passwordToken("mallory", "mallory-password");
        as(mallory).get("/me").then().statusCode(200);
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("email", "carol@example.com", "role", "viewer"))
                .post(members(org))
                .then()
                .statusCode(201)
                .body("subject", nullValue());
        as(mallory).get("/organization/" + org.id() + "/secrets").then().statusCode(404);
    }

    @Test
    void aRoleWithoutGrantsDropsTheOldGrants() {
        Org org = Api.newOrg();
        String id = as(org.adminKey())
                .body(Map.of("email", "dave@example.com", "role", "member", "grants", Map.of("dev", List.of("read"))))
                .post(members(org))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(org.adminKey())
                .body(Map.of("role", "viewer"))
                .patch(members(org) + "/" + id)
                .then()
                .statusCode(200)
                .body("role", equalTo("viewer"))
                .body("grants.size()", equalTo(0));
    }

    @Test
    void aReadOnlyOrScopedAdminKeyDoesNotCountAsTheOrganizationsAdmin() {
        String alice = KeycloakResource.passwordToken("alice", "alice-password");
        String orgId = as(alice)
                .body(Map.of("name", "ro-" + System.nanoTime()))
                .post("/organizations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Org org = new Org(orgId, alice);
        as(alice)
                .body(Map.of("name", "ro", "role", "admin", "read_only", true))
                .post("/organization/" + orgId + "/api-keys")
                .then()
                .statusCode(201);
        as(alice)
                .body(Map.of("name", "dev only", "role", "admin", "environments", List.of("dev")))
                .post("/organization/" + orgId + "/api-keys")
                .then()
                .statusCode(201);
        String self = as(alice).get(members(org)).path("members[0].id");
        as(alice)
                .body(Map.of("role", "viewer"))
                .patch(members(org) + "/" + self)
                .then()
                .statusCode(409)
                .body("code", equalTo("last_admin"));
    }

    @Test
    void aRoleChangeTakesEffectOnTheNextRequest() {
        Org org = Api.newOrg();
        String id = as(org.adminKey())
                .body(Map.of("email", "alice@example.com", "role", "admin"))
                .post(members(org))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String alice = KeycloakResource.passwordToken("alice", "alice-password");
        as(alice).get(members(org)).then().statusCode(200);
        as(org.adminKey())
                .body(Map.of("role", "member", "grants", Map.of("dev", List.of("read"))))
                .patch(members(org) + "/" + id)
                .then()
                .statusCode(200)
                .body("grants.dev", equalTo(List.of("read")));
        as(alice).get(members(org)).then().statusCode(403);
        as(org.adminKey()).delete(members(org) + "/" + id).then().statusCode(204);
        as(alice).get("/organization/" + org.id()).then().statusCode(404);
    }

    @Test
    void theLastAdminMemberCannotBeDemotedOrRemoved() {
        String alice = KeycloakResource.passwordToken("alice", "alice-password");
        String orgId = as(alice)
                .body(Map.of("name", "alice-" + System.nanoTime()))
                .post("/organizations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Org org = new Org(orgId, alice);
        String aliceMember = as(alice)
                .get(members(org))
                .then()
                .statusCode(200)
                .body("members[0].role", equalTo("admin"))
                .extract()
                .path("members[0].id");
        as(alice)
                .body(Map.of("role", "viewer"))
                .patch(members(org) + "/" + aliceMember)
                .then()
                .statusCode(409)
                .body("code", equalTo("last_admin"));
        as(alice)
                .delete(members(org) + "/" + aliceMember)
                .then()
                .statusCode(409)
                .body("code", equalTo("last_admin"));
        as(alice)
                .body(Map.of("email", "bob@example.com", "role", "admin"))
                .post(members(org))
                .then()
                .statusCode(201);
        // bob's membership waits for his first verified login: until then it does not count
        as(alice).delete(members(org) + "/" + aliceMember).then().statusCode(409);
        as(KeycloakResource.passwordToken("bob", "bob-password"))
                .get("/organization/" + org.id())
                .then()
                .statusCode(200);
        as(alice).delete(members(org) + "/" + aliceMember).then().statusCode(204);
    }

    @Test
    void rejectsBadMemberRequests() {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of("role", "admin"))
                .post(members(org))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_member_request"));
        as(org.adminKey())
                .body(Map.of("email", "x@example.com", "role", "owner"))
                .post(members(org))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_member_request"));
        as(org.adminKey())
                .body(Map.of("email", "x@example.com", "role", "viewer"))
                .post(members(org))
                .then()
                .statusCode(201);
        as(org.adminKey())
                .body(Map.of("email", "X@example.com", "role", "viewer"))
                .post(members(org))
                .then()
                .statusCode(409)
                .body("code", equalTo("member_exists"));
        as(org.adminKey())
                .body(Map.of("role", "viewer"))
                .patch(members(org) + "/not-a-uuid")
                .then()
                .statusCode(404)
                .body("code", equalTo("member_not_found"));
    }

    @Test
    void authConfigNeedsNoTokenAndMeDescribesAnApiKey() {
        given().get("/auth/config")
                .then()
                .statusCode(200)
                .body("oidc_enabled", equalTo(true))
                .body("device_authorization_endpoint", endsWith("/protocol/openid-connect/auth/device"));
        Org org = Api.newOrg();
        as(org.adminKey())
                .get("/me")
                .then()
                .statusCode(200)
                .body("kind", equalTo("api_key"))
                .body("organizations[0].id", equalTo(org.id()))
                .body("organizations[0].role", equalTo("admin"));
    }
}
