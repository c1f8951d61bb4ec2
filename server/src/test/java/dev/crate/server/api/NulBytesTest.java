package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.server.api.grpc.v1.PutTagRequest;
import dev.crate.server.api.grpc.v1.TagMetadata;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostgreSQL text cannot hold U+0000: input carrying it is a 400 with the field's code, never a 500. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class NulBytesTest {
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    private static void rejected(Response response, String code) {
        response.then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("code", equalTo(code));
    }

    @Test
    void rejectsANulInAMemberEmail() {
        rejected(
                as(org.adminKey())
                        .body(Map.of("email", "bob\u0000@example.com", "role", "viewer"))
                        .post("/organization/" + org.id() + "/members"),
                "invalid_member_request");
    }

    @Test
    void rejectsANulInAMemberSubject() {
        rejected(
                as(org.adminKey())
                        .body(Map.of("subject", "sub\u0000ject", "role", "viewer"))
                        .post("/organization/" + org.id() + "/members"),
                "invalid_member_request");
    }

    @Test
    void rejectsANulInATagDescription() {
        rejected(
                as(org.adminKey())
                        .body(Map.of("description", "a\u0000b"))
                        .put("/organization/" + org.id() + "/tags/db"),
                "invalid_tag_metadata");
    }

    @Test
    void rejectsANulInATagDescriptionOverGrpc() {
        Grpc.Failure failure = Grpc.failure(() -> Grpc.tags(org.adminKey())
                .putTag(PutTagRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("db")
                        .setMetadata(TagMetadata.newBuilder().setDescription("a\u0000b"))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, failure.status());
        assertEquals("invalid_tag_metadata", failure.code());
    }

    @Test
    void rejectsANulInTheAuditActorFilter() {
        rejected(
                as(org.adminKey()).queryParam("actor", "a\u0000b").get("/organization/" + org.id() + "/audit"),
                "invalid_audit_query");
    }

    @Test
    void rejectsANulInTheAuditExportActorFilter() {
        rejected(
                as(org.adminKey()).queryParam("actor", "a\u0000b").get("/organization/" + org.id() + "/audit/export"),
                "invalid_audit_query");
    }
}
