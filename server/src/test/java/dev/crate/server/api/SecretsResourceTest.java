package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static dev.crate.server.testing.Api.retrieve;
import static dev.crate.server.testing.Api.storeOk;
import static dev.crate.server.testing.Api.value;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SecretsResourceTest {
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    private String path() {
        return "/organization/" + org.id() + "/secrets";
    }

    @Test
    void storesVersionOneThenTheNextVersion() {
        Api.store(org, "dev", "STRIPE_API_KEY", "sk_test_1", List.of("backend"))
                .then()
                .statusCode(200)
                .body("name", equalTo("STRIPE_API_KEY"))
                .body("environment", equalTo("dev"))
                .body("version", equalTo(1))
                .body("tags", contains("backend"))
                .body("updated_at", not(empty()));
        Api.store(org, "dev", "STRIPE_API_KEY", "sk_test_2", null)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        assertEquals("sk_test_2", value(retrieve(org, "dev", List.of("STRIPE_API_KEY"), null), "STRIPE_API_KEY"));
    }

    @Test
    void sameNameInDevAndProdAreIndependentSecrets() {
        storeOk(org, "dev", "DATABASE_URL", "postgres://dev", null);
        storeOk(org, "prod", "DATABASE_URL", "postgres://prod", null);
        storeOk(org, "prod", "DATABASE_URL", "postgres://prod2", null);
        assertEquals("postgres://dev", value(retrieve(org, "dev", null, null), "DATABASE_URL"));
        assertEquals("postgres://prod2", value(retrieve(org, "prod", null, null), "DATABASE_URL"));
        as(org.adminKey()).get(path() + "?env=dev").then().body("secrets[0].version", equalTo(1));
        as(org.adminKey()).get(path() + "?env=prod").then().body("secrets[0].version", equalTo(2));
    }

    @Test
    void givenTagsReplaceAndOmittedTagsAreKept() {
        storeOk(org, "dev", "A", "1", List.of("backend", "db"));
        storeOk(org, "dev", "A", "2", null);
        as(org.adminKey()).get(path()).then().body("secrets[0].tags", contains("backend", "db"));
        storeOk(org, "dev", "A", "3", List.of("frontend"));
        as(org.adminKey()).get(path()).then().body("secrets[0].tags", contains("frontend"));
        storeOk(org, "dev", "A", "4", List.of());
        as(org.adminKey()).get(path()).then().body("secrets[0].tags", empty());
    }

    @Test
    void listDefaultsToDevSortsByNameAndFiltersByAllTags() {
        storeOk(org, "dev", "ZED", "z", List.of("backend", "db"));
        storeOk(org, "dev", "ALPHA", "a", List.of("backend"));
        storeOk(org, "dev", "MID", "m", List.of("db"));
        storeOk(org, "staging", "OTHER", "o", List.of("backend"));
        as(org.adminKey()).get(path()).then().statusCode(200).body("secrets.name", contains("ALPHA", "MID", "ZED"));
        as(org.adminKey()).get(path() + "?tags=backend").then().body("secrets.name", contains("ALPHA", "ZED"));
        as(org.adminKey()).get(path() + "?tags=backend,db").then().body("secrets.name", contains("ZED"));
        as(org.adminKey()).get(path() + "?env=staging&tags=backend").then().body("secrets.name", contains("OTHER"));
    }

    @Test
    void listNeverContainsValues() {
        storeOk(org, "dev", "LISTED", "never-in-a-listing-4711", null);
        String body =
                as(org.adminKey()).get(path()).then().statusCode(200).extract().asString();
        assertTrue(!body.contains("never-in-a-listing-4711") && !body.contains("value"), body);
    }

    @Test
    void retrieveAnswersOnlyWithAJweAndReportsUnknownNamesAsMissing() {
        storeOk(org, "dev", "KNOWN", "v1", null);
        RetrievedPayload payload = retrieve(org, "dev", List.of("KNOWN", "UNKNOWN"), null);
        assertEquals("dev", payload.environment());
        assertEquals(List.of("UNKNOWN"), payload.missing());
        assertEquals("v1", value(payload, "KNOWN"));
        assertEquals(1, payload.secrets().get(0).version());
    }

    @Test
    void retrieveWithNamesAndTagsAppliesBothFilters() {
        storeOk(org, "dev", "A", "a", List.of("backend"));
        storeOk(org, "dev", "B", "b", List.of("frontend"));
        storeOk(org, "dev", "C", "c", List.of("backend"));
        RetrievedPayload payload = retrieve(org, "dev", List.of("A", "B"), List.of("backend"));
        assertEquals(List.of("A"), payload.secrets().stream().map(s -> s.name()).toList());
        assertEquals(
                List.of("C"),
                retrieve(org, "dev", null, List.of("backend")).secrets().stream()
                        .map(s -> s.name())
                        .filter("C"::equals)
                        .toList());
    }

    @Test
    void keepsValuesWithUnicodeNewlinesAndQuotesExactly() {
        String tricky = "line1\nline2 \"quoted\" # not a comment = é ✓ 🔑";
        storeOk(org, "dev", "TRICKY", tricky, null);
        assertEquals(tricky, value(retrieve(org, "dev", null, null), "TRICKY"));
    }

    @Test
    void storesAValueOf64KiB() {
        String big = "x".repeat(64 * 1024);
        storeOk(org, "dev", "BIG", big, null);
        assertEquals(big, value(retrieve(org, "dev", List.of("BIG"), null), "BIG"));
    }

    @Test
    void deleteHidesTheSecretAndStoringAgainContinuesTheVersions() {
        storeOk(org, "dev", "GONE", "1", null);
        storeOk(org, "dev", "GONE", "2", null);
        as(org.adminKey()).delete(path() + "/GONE").then().statusCode(204);
        as(org.adminKey()).get(path()).then().body("secrets", empty());
        assertEquals(
                List.of("GONE"), retrieve(org, "dev", List.of("GONE"), null).missing());
        Api.store(org, "dev", "GONE", "3", null).then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void deleteOnlyTouchesTheGivenEnvironment() {
        storeOk(org, "dev", "KEEP", "d", null);
        storeOk(org, "prod", "KEEP", "p", null);
        as(org.adminKey()).delete(path() + "/KEEP?env=prod").then().statusCode(204);
        assertEquals("d", value(retrieve(org, "dev", null, null), "KEEP"));
    }

    @Test
    void aRestoredSecretsKeptTagsReturnToTheCatalog() {
        storeOk(org, "dev", "TAGGED", "1", List.of("frontend"));
        as(org.adminKey()).delete(path() + "/TAGGED").then().statusCode(204);
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/tags/frontend")
                .then()
                .statusCode(204);
        storeOk(org, "dev", "TAGGED", "2", null);
        as(org.adminKey()).get(path() + "?tags=frontend").then().body("secrets.name", contains("TAGGED"));
        as(org.adminKey()).get("/organization/" + org.id() + "/tags").then().body("tags.name", contains("frontend"));
    }

    @Test
    void sortsNamesByCodePointWhateverTheDatabaseCollation() {
        storeOk(org, "dev", "b_lower", "1", null);
        storeOk(org, "dev", "B_UPPER", "1", null);
        storeOk(org, "dev", "_UNDERSCORE", "1", null);
        as(org.adminKey()).get(path()).then().body("secrets.name", contains("B_UPPER", "_UNDERSCORE", "b_lower"));
    }

    @Test
    void deletingAMissingSecretIsNotFound() {
        as(org.adminKey()).delete(path() + "/NOPE").then().statusCode(404).body("code", equalTo("secret_not_found"));
    }

    @Test
    void publicKeyIsRsa3072Spki() {
        as(org.adminKey())
                .get(path() + "/public-key")
                .then()
                .statusCode(200)
                .body("public_key_pem", containsString("BEGIN PUBLIC KEY"))
                .body("algorithm", equalTo("RSA-OAEP-256"))
                .body("kid", not(empty()));
        var key = (java.security.interfaces.RSAPublicKey) Api.publicKey(org).key();
        assertEquals(3072, key.getModulus().bitLength());
    }

    @Test
    void storesIntoACustomEnvironmentOnlyOnceItExists() {
        Api.store(org, "qa", "X", "1", null).then().statusCode(404).body("code", equalTo("environment_not_found"));
        as(org.adminKey())
                .body("{\"name\":\"qa\"}")
                .post("/organization/" + org.id() + "/environments")
                .then()
                .statusCode(201);
        Api.store(org, "qa", "X", "1", null).then().statusCode(200);
    }
}
