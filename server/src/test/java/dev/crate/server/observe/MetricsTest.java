package dev.crate.server.observe;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /q/metrics: the domain counters move with what happens, and nothing in it names an org or a secret. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class MetricsTest {

    @Test
    void domainCountersMoveAndNoOrgIdOrSecretNameAppearsInTheMetrics() {
        String before = scrape();
        Org org = Api.newOrg();
        String name = "METRICS_CANARY_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Api.storeOk(org, "dev", name, "metrics value", List.of("metrics-tag"));
        Api.storeOk(org, "dev", name, "metrics value 2", null);
        Api.retrieve(org, "dev", List.of(name), null);
        Api.storeSealed(org, "dev", name, "bm90IGEgc2VhbGVkIHZhbHVl", null)
                .then()
                .statusCode(400);
        as("crate_unknownKeyForMetricsTest0000000000000000000000")
                .get("/organization/" + org.id() + "/secrets")
                .then()
                .statusCode(401);
        given().get("/organization/" + org.id() + "/secrets").then().statusCode(401);
        as(Api.apiKey(org, "viewer"))
                .body(java.util.Map.of("name", "qa"))
                .post("/organization/" + org.id() + "/environments")
                .then()
                .statusCode(403);
        // refused by the body-size filter before any route matched: its path must not become a label either
        given().header("Content-Type", "application/json")
                .body("{\"pad\": \"" + "x".repeat(300 * 1024) + "\"}")
                .put("/organization/" + org.id() + "/secrets/" + name)
                .then()
                .statusCode(413);
        as(org.adminKey())
                .get("/organization/" + org.id() + "/secrets/" + name)
                .then()
                .statusCode(405);
        as(org.adminKey())
                .get("/organization/" + org.id() + "/no-such-thing/" + name)
                .then()
                .statusCode(404);
        String after = scrape();

        assertEquals(2, delta(before, after, "crate_secrets_stored_total", ""), after);
        assertEquals(1, delta(before, after, "crate_secrets_retrieved_total", ""));
        assertEquals(1, delta(before, after, "crate_sealed_value_failures_total", ""));
        assertEquals(1, delta(before, after, "crate_auth_failures_total", "kind=\"unknown_key\""));
        assertEquals(1, delta(before, after, "crate_auth_failures_total", "kind=\"missing_credential\""));
        assertEquals(1, delta(before, after, "crate_auth_failures_total", "kind=\"forbidden\""));
        assertTrue(delta(before, after, "crate_secrets_store_seconds_count", "outcome=\"success\"") >= 2);
        assertEquals(1, delta(before, after, "crate_secrets_retrieve_seconds_count", "outcome=\"success\""));
        for (String meter : List.of(
                "crate_rotations_total{key=\"org_key\",}",
                "crate_rotations_total{key=\"root_key\",}",
                "crate_rotation_rewrapped_total{key=\"org_key\",}",
                "crate_rotation_failures_total{key=\"org_key\",}",
                "crate_rotation_duration_seconds_count{key=\"org_key\",}")) {
            assertTrue(after.contains(meter), "rotation meters exist from the start: " + meter);
        }
        // A transport key rotation completes in its request: one more, labelled by tier only.
        as(org.adminKey())
                .body(java.util.Map.of("tier", "transport"))
                .post("/organization/" + org.id() + "/keys/rotate")
                .then()
                .statusCode(202);
        assertEquals(1, delta(after, scrape(), "crate_rotations_total", "key=\"transport_key\""));
        // exists from the start; the audit tests that make audit writes fail on purpose move it
        assertTrue(after.contains("crate_audit_write_failures_total "), "the audit failure counter exists");
        assertEquals(0, delta(before, after, "crate_audit_write_failures_total", ""), "no audit write failed here");
        assertTrue(after.contains("uri=\"UNMATCHED\""), "requests refused before routing get a fixed label");
        assertTrue(
                after.contains("uri=\"/organization/{id}/secrets\""), "HTTP series are labelled with route templates");

        for (String secretish : List.of(org.id(), name, org.adminKey(), "metrics-tag")) {
            assertFalse(after.contains(secretish), "/q/metrics names " + secretish);
        }
    }

    private static String scrape() {
        return given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static double delta(String before, String after, String metric, String labels) {
        return value(after, metric, labels) - value(before, metric, labels);
    }

    private static double value(String scrape, String metric, String labels) {
        Pattern line =
                Pattern.compile("^" + Pattern.quote(metric) + "(\\{([^}]*)\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            String found = m.group(2) == null ? "" : m.group(2);
            if (labels.isEmpty() ? found.isEmpty() || !found.contains("=") : found.contains(labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }
}
