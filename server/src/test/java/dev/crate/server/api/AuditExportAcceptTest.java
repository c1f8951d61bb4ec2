package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit export answers the media types docs/API.md documents, asked for by Accept or not. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class AuditExportAcceptTest {
    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
        Api.storeOk(org, "dev", "A", "one", null);
    }

    private String export() {
        return "/organization/" + org.id() + "/audit/export";
    }

    @Test
    void answersJsonLinesToAnAcceptOfNdjson() {
        String body = as(org.adminKey())
                .accept("application/x-ndjson")
                .get(export())
                .then()
                .statusCode(200)
                .contentType(startsWith("application/x-ndjson"))
                .extract()
                .asString();
        String[] lines = body.strip().split("\n");
        assertTrue(lines.length >= 2, body);
        for (String line : lines) {
            assertTrue(line.startsWith("{\"id\":"), line);
        }
    }

    @Test
    void answersCsvToAnAcceptOfCsv() {
        as(org.adminKey())
                .accept("text/csv")
                .queryParam("format", "csv")
                .get(export())
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"));
    }

    @Test
    void answersJsonLinesWithoutAnAccept() {
        as(org.adminKey()).get(export()).then().statusCode(200).contentType(startsWith("application/x-ndjson"));
    }
}
