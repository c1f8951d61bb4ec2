package dev.crate.server.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** /q/health/live and /q/health/ready as an orchestrator sees them. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class HealthTest {
    @ConfigProperty(name = "crate.data-dir")
    Path dataDir;

    @Test
    void livenessAnswersUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessReportsTheDatabaseTheSchemaAndTheVerifiedRootKey() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'crate' }.data.database", equalTo("up"))
                .body("checks.find { it.name == 'crate' }.data.schema_version", equalTo(latestMigration()))
                .body("checks.find { it.name == 'crate' }.data.root_key", equalTo("verified"));
    }

    @Test
    void aStoredOrgKeyOfAnotherRootKeyMakesTheReplicaNotReadyWithTheReasonButNoKeyMaterial() throws Exception {
        Org org = Api.newOrg();
        UUID row = UUID.randomUUID();
        try (Connection c = PostgresResource.connect();
                PreparedStatement insert = c.prepareStatement(
                        "insert into org_keys (id, org_id, version, root_kid, wrapped_key, state, created_at) "
                                + "values (?, ?, 99, 'rk-from-elsewhere', ?, 'retiring', now())")) {
            insert.setObject(1, row);
            insert.setObject(2, UUID.fromString(org.id()));
            insert.setBytes(3, new byte[60]);
            insert.executeUpdate();
        }
        String rootKey = Files.readString(dataDir.resolve("root-key.dev")).trim();
        try {
            given().get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body(
                            "checks.find { it.name == 'crate' }.data.root_key",
                            equalTo("does not open the stored org keys"))
                    .body("checks.find { it.name == 'crate' }.data.reason", containsString("CRATE-0003"))
                    .body(not(containsString(rootKey)));
        } finally {
            try (Connection c = PostgresResource.connect();
                    PreparedStatement delete = c.prepareStatement("delete from org_keys where id = ?")) {
                delete.setObject(1, row);
                delete.executeUpdate();
            }
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The highest Flyway version shipped in src/main/resources/db/migration. */
    private static String latestMigration() {
        try (var files =
                java.nio.file.Files.list(java.nio.file.Path.of("src", "main", "resources", "db", "migration"))) {
            return String.valueOf(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max()
                    .orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
