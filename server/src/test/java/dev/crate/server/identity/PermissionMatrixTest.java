package dev.crate.server.identity;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The permission table of docs/SECURITY.md, cell by cell: every org-scoped route the application
 * serves (read from its own OpenAPI document, so a new route fails this test until it is added to
 * {@link #RULES}) × every role, for API keys and for users, in an environment the grants cover and
 * in one they do not.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class PermissionMatrixTest {

    enum Rule {
        ANY,
        ADMIN,
        READ,
        WRITE
    }

    /** The table. Routes outside an org ({@code /organizations}, {@code /me}, {@code /auth/config}) are in {@link #UNSCOPED}. */
    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("GET /organization/{id}", Rule.ANY),
            Map.entry("GET /organization/{id}/secrets", Rule.ANY),
            Map.entry("GET /organization/{id}/secrets/public-key", Rule.ANY),
            Map.entry("PUT /organization/{id}/secrets", Rule.WRITE),
            Map.entry("POST /organization/{id}/secrets/retrieve", Rule.READ),
            Map.entry("DELETE /organization/{id}/secrets/{name}", Rule.WRITE),
            Map.entry("GET /organization/{id}/secrets/{name}/versions", Rule.ANY),
            Map.entry("POST /organization/{id}/secrets/{name}/rollback", Rule.WRITE),
            Map.entry("POST /organization/{id}/secrets/{name}/restore", Rule.WRITE),
            Map.entry("GET /organization/{id}/audit", Rule.ADMIN),
            Map.entry("GET /organization/{id}/audit/export", Rule.ADMIN),
            Map.entry("GET /organization/{id}/audit/verify", Rule.ADMIN),
            Map.entry("GET /organization/{id}/tags", Rule.ANY),
            Map.entry("PUT /organization/{id}/tags/{name}", Rule.ADMIN),
            Map.entry("DELETE /organization/{id}/tags/{name}", Rule.ADMIN),
            Map.entry("GET /organization/{id}/environments", Rule.ANY),
            Map.entry("POST /organization/{id}/environments", Rule.ADMIN),
            Map.entry("GET /organization/{id}/api-keys", Rule.ADMIN),
            Map.entry("POST /organization/{id}/api-keys", Rule.ADMIN),
            Map.entry("DELETE /organization/{id}/api-keys/{keyId}", Rule.ADMIN),
            Map.entry("GET /organization/{id}/members", Rule.ADMIN),
            Map.entry("POST /organization/{id}/members", Rule.ADMIN),
            Map.entry("PATCH /organization/{id}/members/{memberId}", Rule.ADMIN),
            Map.entry("DELETE /organization/{id}/members/{memberId}", Rule.ADMIN),
            Map.entry("GET /organization/{id}/keys", Rule.ADMIN),
            Map.entry("POST /organization/{id}/keys/rotate", Rule.ADMIN),
            Map.entry("GET /organization/{id}/workload-identities", Rule.ADMIN),
            Map.entry("POST /organization/{id}/workload-identities", Rule.ADMIN),
            Map.entry("GET /organization/{id}/workload-identities/{bindingId}", Rule.ADMIN),
            Map.entry("PATCH /organization/{id}/workload-identities/{bindingId}", Rule.ADMIN),
            Map.entry("DELETE /organization/{id}/workload-identities/{bindingId}", Rule.ADMIN));

    /** Operator routes (admins of org {@code default} only) are checked by {@code KeyRotationTest}. */
    static final List<String> UNSCOPED = List.of(
            "GET /organizations",
            "POST /organizations",
            "GET /me",
            "GET /auth/config",
            "POST /auth/workload-token",
            "GET /operator/keys/root",
            "POST /operator/keys/root/rotate");

    /**
     * Streams never end, so the matrix's one-request-per-cell cannot call them; they follow list's row
     * (any role, narrowed by environment and tag scopes) and {@code events.SecretEventsTest} checks
     * each case (a viewer limited to dev, a tag-scoped key, revocation).
     */
    static final List<String> STREAMS = List.of("GET /organization/{id}/secrets/events");

    /** Every route the application serves, as "METHOD /path", from /q/openapi. */
    static List<String> routes() throws Exception {
        JsonNode paths = Api.JSON
                .readTree(RestAssured.given().get("/q/openapi?format=json").asString())
                .get("paths");
        List<String> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                    routes.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    /** One request to a route, with harmless valid inputs, in environment {@code env}. */
    static Response call(String token, String route, String orgId, String env, Map<String, String> ids) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{id}", orgId)
                .replace("{name}", ids.getOrDefault("name", route.contains("/tags/") ? "matrix-none" : "MATRIX_NONE"))
                .replace("{keyId}", ids.getOrDefault("keyId", UUID.randomUUID().toString()))
                .replace(
                        "{memberId}",
                        ids.getOrDefault("memberId", UUID.randomUUID().toString()))
                .replace(
                        "{bindingId}",
                        ids.getOrDefault("bindingId", UUID.randomUUID().toString()));
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Object body = switch (route) {
            case "PUT /organization/{id}/secrets" ->
                Map.of("name", "MATRIX_SECRET", "environment", env, "encrypted_value", "AAAA", "sealed", true);
            case "POST /organization/{id}/secrets/retrieve" ->
                Map.of(
                        "environment",
                        env,
                        "client_public_jwk",
                        TemporaryKey.generate().publicJwk());
            case "PUT /organization/{id}/tags/{name}" -> Map.of("color", "#00ff00");
            case "POST /organization/{id}/secrets/{name}/rollback" -> Map.of("version", 1);
            case "POST /organization/{id}/environments" -> Map.of("name", "m-" + unique);
            case "POST /organization/{id}/api-keys" -> Map.of("name", "matrix " + unique, "role", "viewer");
            case "POST /organization/{id}/members" -> Map.of("email", "m-" + unique + "@example.com", "role", "viewer");
            case "PATCH /organization/{id}/members/{memberId}" -> Map.of("role", "viewer");
            case "POST /organization/{id}/keys/rotate" -> Map.of("tier", "org");
            case "POST /organization/{id}/workload-identities" ->
                Map.of(
                        "name", "matrix " + unique,
                        "issuer", "https://issuer.example.com",
                        "audience", "crate",
                        "subject", "matrix",
                        "role", "viewer",
                        "environments", List.of(env));
            case "PATCH /organization/{id}/workload-identities/{bindingId}" -> Map.of("name", "matrix " + unique);
            default -> null;
        };
        var request = as(token).queryParam("env", env);
        if (body != null) {
            request = request.body(body);
        }
        return request.request(method, path);
    }

    private static boolean expectedAllowed(Rule rule, String role, String env) {
        return switch (rule) {
            case ANY -> true;
            case ADMIN -> role.equals("admin");
            case READ, WRITE -> role.equals("admin") || role.equals("member-dev") && env.equals("dev");
        };
    }

    @Test
    void everyRouteIsInThePermissionTable() throws Exception {
        for (String route : routes()) {
            if (!route.startsWith("GET /q")
                    && !RULES.containsKey(route)
                    && !UNSCOPED.contains(route)
                    && !STREAMS.contains(route)) {
                fail(route + " is served but not in the permission table: add it to RULES and docs/SECURITY.md");
            }
        }
    }

    @Test
    void apiKeysOfEachRoleGetExactlyTheirCells() throws Exception {
        Org org = Api.newOrg();
        Map<String, String> keys = new HashMap<>();
        keys.put("admin", org.adminKey());
        keys.put(
                "member-dev",
                as(org.adminKey())
                        .body(Map.of(
                                "name", "dev rw", "role", "member", "grants", Map.of("dev", List.of("read", "write"))))
                        .post("/organization/" + org.id() + "/api-keys")
                        .path("key"));
        keys.put("member-none", Api.apiKey(org, "member"));
        keys.put("viewer", Api.apiKey(org, "viewer"));
        keys.forEach((role, key) -> check(role, key, org));
    }

    @Test
    void usersOfEachRoleGetExactlyTheirCells() {
        Org org = Api.newOrg();
        String bob = KeycloakResource.passwordToken("bob", "bob-password");
        String alice = KeycloakResource.passwordToken("alice", "alice-password");
        as(org.adminKey())
                .body(Map.of("email", "bob@example.com", "role", "admin"))
                .post("/organization/" + org.id() + "/members")
                .then()
                .statusCode(201);
        String aliceId = as(org.adminKey())
                .body(Map.of("email", "alice@example.com", "role", "viewer"))
                .post("/organization/" + org.id() + "/members")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Map<String, Object>> roles = Map.of(
                "admin", Map.of("role", "admin"),
                "member-dev", Map.of("role", "member", "grants", Map.of("dev", List.of("read", "write"))),
                "member-none", Map.of("role", "member", "grants", Map.of()),
                "viewer", Map.of("role", "viewer"));
        new TreeMap<>(roles).forEach((role, change) -> {
            as(bob).body(change)
                    .patch("/organization/" + org.id() + "/members/" + aliceId)
                    .then()
                    .statusCode(200);
            check(role, alice, org);
        });
    }

    private static void check(String role, String token, Org org) {
        List<String> wrong = new ArrayList<>();
        // Sorted: Map.ofEntries iterates in an order that changes from one JVM to the next, and the
        // calls before a route decide, for example, how many lines an audit export has.
        new TreeMap<>(RULES).forEach((route, rule) -> {
            for (String env : List.of("dev", "prod")) {
                Response response = call(token, route, org.id(), env, Map.of());
                boolean allowed = expectedAllowed(rule, role, env);
                String code = code(response);
                boolean denied = response.statusCode() == 403 && "forbidden".equals(code);
                boolean reached = response.statusCode() != 401
                        && response.statusCode() != 403
                        && !"organization_not_found".equals(code)
                        && response.statusCode() < 500;
                if (allowed ? !reached : !denied) {
                    wrong.add(role + " " + route + " env=" + env + " -> " + response.statusCode() + " " + code
                            + " (expected " + (allowed ? "allowed" : "403") + ")");
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** The problem's {@code code}, or null for anything that is not one JSON document (an export's JSON lines, CSV, no body). */
    private static String code(Response response) {
        String type = response.contentType();
        if (type == null || !(type.startsWith("application/json") || type.startsWith("application/problem+json"))) {
            return null;
        }
        try {
            JsonNode code = Api.JSON.readTree(response.asString()).get("code");
            return code == null || !code.isTextual() ? null : code.asText();
        } catch (Exception e) {
            throw new AssertionError(
                    response.statusCode() + " " + type + " with a body that is not JSON: " + response.asString(), e);
        }
    }

    @Test
    void anotherOrgsIdsAnswerLikeMissingOnesOnEveryRouteAndChangeNothing() throws Exception {
        Org alice = Api.newOrg();
        Org bob = Api.newOrg();
        Api.storeOk(alice, "dev", "ALICE_ONLY", "alice-value", List.of("alice-tag"));
        String aliceKeyId = as(alice.adminKey())
                .get("/organization/" + alice.id() + "/api-keys")
                .path("api_keys[0].id");
        String aliceMemberId = as(alice.adminKey())
                .body(Map.of("email", "someone@example.com", "role", "admin"))
                .post("/organization/" + alice.id() + "/members")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String missingOrg = UUID.randomUUID().toString();
        Map<String, String> aliceIds = Map.of("name", "ALICE_ONLY", "keyId", aliceKeyId, "memberId", aliceMemberId);
        for (String route : routes()) {
            if (!route.contains("{id}")) {
                continue;
            }
            Map<String, String> ids = new HashMap<>(aliceIds);
            if (route.contains("/tags/")) {
                ids.put("name", "alice-tag");
            }
            for (String env : List.of("dev")) {
                Response cross = call(bob.adminKey(), route, alice.id(), env, ids);
                Response missing = call(bob.adminKey(), route, missingOrg, env, ids);
                assertEquals(404, cross.statusCode(), route);
                assertEquals(code(missing), code(cross), route);
                assertEquals(
                        missing.asString(),
                        cross.asString().replace(cross.header("X-Request-Id"), missing.header("X-Request-Id")),
                        route);
            }
            if (route.contains("{name}") || route.contains("{keyId}") || route.contains("{memberId}")) {
                String tagOrName = route.contains("/tags/") ? "alice-tag" : "ALICE_ONLY";
                Response foreignObject = call(
                        bob.adminKey(),
                        route,
                        bob.id(),
                        "dev",
                        Map.of("name", tagOrName, "keyId", aliceKeyId, "memberId", aliceMemberId));
                Response missingObject = call(
                        bob.adminKey(),
                        route,
                        bob.id(),
                        "dev",
                        Map.of("name", route.contains("/tags/") ? "no-such-tag" : "NO_SUCH_SECRET"));
                assertEquals(missingObject.statusCode(), foreignObject.statusCode(), route);
                assertEquals(code(missingObject), code(foreignObject), route);
            }
        }
        assertEquals("alice-value", Api.value(Api.retrieve(alice, "dev", null, null), "ALICE_ONLY"));
        as(alice.adminKey()).get("/organization/" + alice.id() + "/tags").then().statusCode(200);
        assertEquals(
                List.of("alice-tag"),
                as(alice.adminKey())
                        .get("/organization/" + alice.id() + "/tags")
                        .path("tags.name"));
        assertEquals(
                2,
                (int) as(alice.adminKey())
                                .get("/organization/" + alice.id() + "/members")
                                .path("members.size()")
                        + 1);
    }
}
