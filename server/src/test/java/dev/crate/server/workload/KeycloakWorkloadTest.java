package dev.crate.server.workload;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keycloak as a CI-style issuer: the confidential client {@code crate-ci} (service account, audience
 * {@code crate}) gets a token by client credentials, as a pipeline gets its OIDC ID token, and exchanges it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class KeycloakWorkloadTest {

    static String clientCredentialsToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(KeycloakResource.tokenEndpoint()))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                                        + "&client_id=crate-ci&client_secret=crate-ci-test-secret"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "client credentials grant");
        return Api.JSON.readTree(response.body()).get("access_token").asText();
    }

    @Test
    void aPipelineTokenFromKeycloakReadsDevAndNotProd() throws Exception {
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "API_TOKEN", "dev-value", null);
        Api.storeOk(org, "prod", "API_TOKEN", "prod-value", null);
        String binding = as(org.adminKey())
                .body(Map.of(
                        "name",
                        "ci pipeline",
                        "issuer",
                        KeycloakResource.issuer(),
                        "audience",
                        "crate",
                        "subject",
                        "*",
                        "claims",
                        Map.of("azp", "crate-ci"),
                        "role",
                        "member",
                        "grants",
                        Map.of("dev", List.of("read")),
                        "token_ttl_seconds",
                        600))
                .post("/organization/" + org.id() + "/workload-identities")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String token = WorkloadExchangeTest.exchange(clientCredentialsToken(), org.id())
                .then()
                .statusCode(200)
                .body("binding", equalTo(binding))
                .body("expires_in", equalTo(600))
                .extract()
                .path("access_token");
        WorkloadExchangeTest.retrieve(token, org.id(), "dev").then().statusCode(200);
        WorkloadExchangeTest.retrieve(token, org.id(), "prod")
                .then()
                .statusCode(403)
                .body("code", equalTo("forbidden"));
    }

    @Test
    void aKeycloakTokenForAnotherClientMissesTheBinding() throws Exception {
        Org org = Api.newOrg();
        as(org.adminKey())
                .body(Map.of(
                        "name", "other pipeline",
                        "issuer", KeycloakResource.issuer(),
                        "audience", "crate",
                        "subject", "*",
                        "claims", Map.of("azp", "deploy-bot"),
                        "role", "viewer"))
                .post("/organization/" + org.id() + "/workload-identities")
                .then()
                .statusCode(201);
        WorkloadExchangeTest.exchange(clientCredentialsToken(), org.id())
                .then()
                .statusCode(401)
                .body("code", equalTo("workload_token_refused"));
    }
}
