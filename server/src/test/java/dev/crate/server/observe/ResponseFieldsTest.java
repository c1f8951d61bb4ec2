package dev.crate.server.observe;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The spec promises no more than the server does: for a real answer of every operation that returns
 * one of the main records, the status is one the spec lists, and every field the spec marks required
 * (ApiContract's tables) is there and not null, at every depth. Every response schema is met at least
 * once, so a new record cannot slip past unchecked.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ResponseFieldsTest {
    /** Response schemas no answer below contains, and why. */
    private static final Map<String, String> NOT_MET = Map.of(
            "AuditChainBreak", "only a broken audit chain has one (AuditTrailTest breaks chains)",
            "SecretChange", "an event of the text/event-stream, not a JSON answer (SecretEventsTest reads them)",
            "WorkloadTokenResponse", "needs a platform token signed by a bound issuer (WorkloadExchangeTest)");

    private JsonNode doc;
    private final Set<String> met = new TreeSet<>();
    private final List<String> gaps = new ArrayList<>();

    @Test
    void everyRequiredFieldIsInTheServersAnswers() throws Exception {
        doc = Api.JSON.readTree(given().get("/q/openapi?format=json").asString());
        String admin = PostgresResource.ADMIN_TOKEN;

        Response created = as(admin)
                .body(Map.of("name", "fields-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/organizations");
        check("POST /organizations", created);
        assertTrue(
                created.jsonPath().getString("admin_api_key.key") != null,
                "an API key creating an org gets its admin key");
        Org org = new Org(created.path("id"), created.path("admin_api_key.key"));
        String key = org.adminKey();
        String base = "/organization/" + org.id();

        check("GET /organizations", as(key).get("/organizations"));
        check("GET /organization/{id}", as(key).get(base));
        check("GET /me", as(key).get("/me"));
        String bob = KeycloakResource.passwordToken("bob", "bob-password"); // an operator: admin of org default
        check("GET /me", as(bob).get("/me"));
        check("GET /auth/config", given().get("/auth/config"));

        check(
                "POST /organization/{id}/api-keys",
                as(key).body(Map.of("name", "ci", "role", "viewer")).post(base + "/api-keys"));
        check(
                "POST /organization/{id}/api-keys",
                as(key).body(Map.of(
                                "name",
                                "scoped",
                                "role",
                                "member",
                                "grants",
                                Map.of("dev", List.of("read")),
                                "environments",
                                List.of("dev"),
                                "tags",
                                List.of("backend"),
                                "expires_at",
                                "2099-01-01T00:00:00Z"))
                        .post(base + "/api-keys"));
        as(key).get(base + "/secrets/public-key").then().statusCode(200); // a key that has been used
        check("GET /organization/{id}/api-keys", as(key).get(base + "/api-keys"));

        check(
                "POST /organization/{id}/environments",
                as(key).body(Map.of("name", "qa")).post(base + "/environments"));
        check("GET /organization/{id}/environments", as(key).get(base + "/environments"));

        check("GET /organization/{id}/secrets/public-key", as(key).get(base + "/secrets/public-key"));
        check("PUT /organization/{id}/secrets", Api.store(org, "dev", "DATABASE_URL", "one", List.of("backend")));
        check("PUT /organization/{id}/secrets", Api.store(org, "dev", "DATABASE_URL", "two", null));
        check("GET /organization/{id}/secrets", as(key).get(base + "/secrets?env=dev"));
        check(
                "POST /organization/{id}/secrets/{name}/rollback",
                as(key).body(Map.of("version", 1)).post(base + "/secrets/DATABASE_URL/rollback?env=dev"));
        check("DELETE /organization/{id}/secrets/{name}", as(key).delete(base + "/secrets/DATABASE_URL?env=dev"));
        check(
                "GET /organization/{id}/secrets/{name}/versions",
                as(key).get(base + "/secrets/DATABASE_URL/versions?env=dev"));
        check(
                "POST /organization/{id}/secrets/{name}/restore",
                as(key).post(base + "/secrets/DATABASE_URL/restore?env=dev"));
        TemporaryKey temporary = TemporaryKey.generate();
        check(
                "POST /organization/{id}/secrets/retrieve",
                as(key).body(new RetrieveRequest("dev", List.of("DATABASE_URL"), null, null, temporary.publicJwk()))
                        .post(base + "/secrets/retrieve"));

        check("PUT /organization/{id}/tags/{name}", as(key).body(Map.of()).put(base + "/tags/plain"));
        check(
                "PUT /organization/{id}/tags/{name}",
                as(key).body(Map.of("color", "#3b82f6", "description", "Server-side"))
                        .put(base + "/tags/backend"));
        check("GET /organization/{id}/tags", as(key).get(base + "/tags"));

        check(
                "POST /organization/{id}/members",
                as(key).body(Map.of("email", "invited-" + UUID.randomUUID() + "@example.com", "role", "viewer"))
                        .post(base + "/members"));
        Response member = as(key).body(
                        Map.of("email", "bob@example.com", "role", "member", "grants", Map.of("dev", List.of("read"))))
                .post(base + "/members");
        check("POST /organization/{id}/members", member);
        as(bob).get(base).then().statusCode(200); // binds bob's subject
        check(
                "PATCH /organization/{id}/members/{memberId}",
                as(key).body(Map.of("role", "viewer")).patch(base + "/members/" + member.path("id")));
        check("GET /organization/{id}/members", as(key).get(base + "/members"));

        check(
                "POST /organization/{id}/keys/rotate",
                as(key).body(Map.of("tier", "transport")).post(base + "/keys/rotate"));
        check(
                "POST /organization/{id}/keys/rotate",
                as(key).body(Map.of("tier", "org")).post(base + "/keys/rotate"));
        check("GET /organization/{id}/keys", as(key).get(base + "/keys"));
        check("GET /operator/keys/root", as(bob).get("/operator/keys/root"));

        Response binding = as(key).body(Map.of(
                        "name", "ci",
                        "issuer", "https://token.actions.githubusercontent.com",
                        "audience", "crate",
                        "subject", "repo:acme/payments:ref:refs/heads/main",
                        "claims", Map.of("repository", "acme/payments"),
                        "role", "member",
                        "grants", Map.of("dev", List.of("read")),
                        "environments", List.of("dev")))
                .post(base + "/workload-identities");
        check("POST /organization/{id}/workload-identities", binding);
        check("GET /organization/{id}/workload-identities", as(key).get(base + "/workload-identities"));
        check(
                "GET /organization/{id}/workload-identities/{bindingId}",
                as(key).get(base + "/workload-identities/" + binding.path("id")));

        check("GET /organization/{id}/audit", as(key).get(base + "/audit?limit=5"));
        check("GET /organization/{id}/audit", as(key).get(base + "/audit"));
        check("GET /organization/{id}/audit/verify", as(key).get(base + "/audit/verify"));

        // error answers: the Problem schema's required fields
        check("GET /organization/{id}", as(key).get("/organization/" + UUID.randomUUID()));
        check(
                "PUT /organization/{id}/secrets",
                as(key).body(Map.of("name", "1bad")).put(base + "/secrets"));
        check("GET /organization/{id}/tags", given().get(base + "/tags"));

        assertTrue(gaps.isEmpty(), "the spec marks required what the server did not send: " + gaps);
        Set<String> unmet = responseSchemas();
        unmet.removeAll(met);
        unmet.removeAll(NOT_MET.keySet());
        assertEquals(Set.of(), unmet, "response schemas no answer of this test checked: add a call");
    }

    /** The answer's status is documented for the operation, and its body has what the schema requires. */
    private void check(String route, Response response) {
        String method = route.substring(0, route.indexOf(' ')).toLowerCase();
        JsonNode operation =
                doc.path("paths").path(route.substring(route.indexOf(' ') + 1)).path(method);
        assertTrue(operation.isObject(), route + " is not in the spec");
        String status = String.valueOf(response.statusCode());
        JsonNode answer = operation.path("responses").path(status);
        assertTrue(
                answer.isObject(),
                route + " answered " + status + ", which the spec does not list: " + response.asString());
        if (answer.has("$ref")) {
            answer = resolve(answer);
        }
        JsonNode content = answer.path("content");
        if (!content.isObject() || content.isEmpty()) {
            assertEquals("", response.asString(), route + " " + status + " has no documented body");
            return;
        }
        String mediaType = response.contentType().replaceAll(";.*", "");
        JsonNode schema = content.path(mediaType).path("schema");
        assertTrue(schema.isObject(), route + " " + status + ": " + mediaType + " is not documented");
        try {
            conforms(Api.JSON.readTree(response.asString()), schema, route + " " + status);
        } catch (java.io.IOException e) {
            throw new AssertionError(route + " answered no JSON", e);
        }
    }

    private void conforms(JsonNode value, JsonNode declared, String where) {
        if (declared.has("$ref")) {
            met.add(declared.get("$ref").asText().replaceAll(".*/", ""));
        }
        JsonNode schema = declared.has("$ref") ? resolve(declared) : declared;
        if (value == null || value.isNull()) {
            return;
        }
        for (JsonNode field : schema.path("required")) {
            if (!value.hasNonNull(field.asText())) {
                gaps.add(where + ": " + field.asText());
            }
        }
        schema.path("properties")
                .properties()
                .forEach(property ->
                        conforms(value.get(property.getKey()), property.getValue(), where + "." + property.getKey()));
        if (value.isArray() && schema.has("items")) {
            value.forEach(item -> conforms(item, schema.get("items"), where + "[]"));
        }
        JsonNode additional = schema.path("additionalProperties");
        if (value.isObject() && additional.isObject() && !schema.has("properties")) {
            value.properties().forEach(entry -> conforms(entry.getValue(), additional, where + "." + entry.getKey()));
        }
    }

    private JsonNode resolve(JsonNode reference) {
        String ref = reference.get("$ref").asText();
        return doc.at(ref.substring(1));
    }

    /** The named schemas with fields that some answer of some operation can contain. */
    private Set<String> responseSchemas() {
        Set<String> names = new TreeSet<>();
        doc.path("paths")
                .forEach(item -> item.forEach(operation -> operation
                        .path("responses")
                        .forEach(answer -> (answer.has("$ref") ? resolve(answer) : answer)
                                .path("content")
                                .forEach(media -> collect(media.path("schema"), names)))));
        return names;
    }

    private void collect(JsonNode schema, Set<String> names) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replaceAll(".*/", "");
            JsonNode named = resolve(schema);
            if (named.has("properties") && names.add(name)) {
                named.get("properties").forEach(property -> collect(property, names));
            }
            return;
        }
        schema.path("properties").forEach(property -> collect(property, names));
        collect(schema.path("items"), names);
        collect(schema.path("additionalProperties"), names);
    }
}
