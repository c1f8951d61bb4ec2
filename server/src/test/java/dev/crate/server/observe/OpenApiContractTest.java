package dev.crate.server.observe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml at the repository root is what the code generates, and it documents every operation:
 * description, example, bearer security and problem+json errors. {@code bin/regen-openapi} rewrites
 * the file from the code.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class OpenApiContractTest {
    private static final Path COMMITTED =
            Path.of("..", "openapi.yaml").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private static String generated() {
        String text = given().accept("application/yaml")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return text.replace("\r\n", "\n").stripTrailing() + "\n";
    }

    @Test
    void theCommittedOpenApiFileIsWhatTheCodeGenerates() throws Exception {
        String generated = generated();
        if (Boolean.getBoolean("regen.openapi")) {
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
            return;
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        if (!committed.equals(generated)) {
            fail(COMMITTED + " differs from what the code generates (first difference at line "
                    + firstDifference(committed, generated)
                    + "). If the change to the API is intended, run bin/regen-openapi and commit openapi.yaml.");
        }
    }

    @Test
    void everyOperationHasADescriptionAnExampleBearerSecurityAndProblemErrors() throws Exception {
        JsonNode doc = YAML.readTree(generated());
        JsonNode scheme = doc.at("/components/securitySchemes/bearer");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        JsonNode problem = doc.at("/components/schemas/Problem/properties");
        for (String field : List.of("type", "title", "status", "code", "detail", "request_id")) {
            assertTrue(problem.has(field), "Problem schema lacks " + field);
        }
        List<String> gaps = new ArrayList<>();
        int operations = 0;
        int secured = 0;
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                operations++;
                String where = method.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = method.getValue();
                if (op.path("operationId").asText().isEmpty()
                        || op.path("description").asText().isBlank()) {
                    gaps.add(where + ": operationId and description");
                }
                if (!hasExample(op)) {
                    gaps.add(where + ": example (add it to OperationExamples)");
                }
                // every operation reads PostgreSQL (or, for /auth/config, the identity provider)
                if (!op.at("/responses/503/$ref").asText().equals("#/components/responses/ServiceUnavailable")) {
                    gaps.add(where + ": 503 service_unavailable answer");
                }
                if (op.path("security").toString().contains("\"bearer\"")) {
                    secured++;
                    if (!op.at("/responses/401/$ref").asText().equals("#/components/responses/Unauthorized")) {
                        gaps.add(where + ": 401 problem+json answer");
                    }
                }
            }
        }
        assertTrue(operations >= 16, "operations found: " + operations);
        assertTrue(secured >= 16, "operations with bearer security: " + secured);
        assertTrue(gaps.isEmpty(), "incomplete operations: " + gaps);
        for (String status : List.of("ServiceUnavailable", "TooManyRequests")) {
            assertEquals(
                    "integer",
                    doc.at("/components/responses/" + status + "/headers/Retry-After/schema/type")
                            .asText(),
                    status + " documents Retry-After");
        }
        for (String status :
                List.of("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "ContentTooLarge")) {
            JsonNode content = doc.at("/components/responses/" + status + "/content/application~1problem+json");
            assertEquals(
                    "#/components/schemas/Problem", content.at("/schema/$ref").asText(), status);
            assertFalse(content.path("example").isMissingNode(), status + " has an example");
        }
    }

    /** An example of the body, the success answer or, for operations without either, the parameters. */
    private static boolean hasExample(JsonNode op) {
        return op.toString().contains("\"example\"");
    }

    private static int firstDifference(String a, String b) {
        String[] left = a.split("\n", -1);
        String[] right = b.split("\n", -1);
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            if (!left[i].equals(right[i])) {
                return i + 1;
            }
        }
        return Math.min(left.length, right.length) + 1;
    }
}
