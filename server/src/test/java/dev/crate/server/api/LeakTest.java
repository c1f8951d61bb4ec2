package dev.crate.server.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Canary values go through every path a value takes (sealed raw and as JWE, stored twice, listed,
 * retrieved, deleted, rejected); afterwards neither a dump of the database nor the server log holds
 * them in any common encoding.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class LeakTest {

    @Test
    void canaryValuesAppearNeitherInADatabaseDumpNorInTheServerLog() throws Exception {
        String canary = "CANARY" + UUID.randomUUID().toString().replace("-", "");
        String rawCanary = "RAWCANARY" + UUID.randomUUID().toString().replace("-", "");
        Org org = Api.newOrg();
        Api.storeOk(org, "dev", "CANARY_JWE", canary, List.of("leak"));
        Api.storeOk(org, "prod", "CANARY_JWE", canary + "-v2", null);
        Api.PublicKey key = Api.publicKey(org);
        Api.storeSealed(
                        org,
                        "dev",
                        "CANARY_RAW",
                        Sealing.sealRaw(
                                key.key(),
                                Api.destination(org, "dev", "CANARY_RAW"),
                                rawCanary.getBytes(StandardCharsets.UTF_8)),
                        null)
                .then()
                .statusCode(200);
        Api.value(Api.retrieve(org, "dev", null, null), "CANARY_RAW");
        Api.as(org.adminKey())
                .get("/organization/" + org.id() + "/secrets")
                .then()
                .statusCode(200);
        Api.storeSealed(
                        org,
                        "dev",
                        "1_INVALID",
                        Sealing.sealRaw(
                                key.key(),
                                Api.destination(org, "dev", "1_INVALID"),
                                rawCanary.getBytes(StandardCharsets.UTF_8)),
                        null)
                .then()
                .statusCode(400);
        // Key rotations re-wrap the data keys of these values and log what they do: never a value.
        Api.as(org.adminKey())
                .body(java.util.Map.of("tier", "org"))
                .post("/organization/" + org.id() + "/keys/rotate")
                .then()
                .statusCode(202);
        Api.as(org.adminKey())
                .body(java.util.Map.of("tier", "transport"))
                .post("/organization/" + org.id() + "/keys/rotate")
                .then()
                .statusCode(202);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (Api.as(org.adminKey())
                .get("/organization/" + org.id() + "/keys")
                .asString()
                .contains("\"retiring\"")) {
            assertTrue(System.nanoTime() < deadline, "the re-wrap finishes");
            Thread.sleep(100);
        }
        Api.as(org.adminKey())
                .delete("/organization/" + org.id() + "/secrets/CANARY_JWE")
                .then()
                .statusCode(204);

        Api.as(org.adminKey())
                .body(java.util.Map.of("version", 1))
                .post("/organization/" + org.id() + "/secrets/CANARY_JWE/rollback?env=prod")
                .then()
                .statusCode(200);
        Api.as(org.adminKey())
                .delete("/organization/" + org.id() + "/secrets/CANARY_JWE?env=prod&purge=true")
                .then()
                .statusCode(204);
        String exports = Api.as(org.adminKey())
                        .get("/organization/" + org.id() + "/audit/export")
                        .asString()
                + Api.as(org.adminKey())
                        .get("/organization/" + org.id() + "/audit/export?format=csv")
                        .asString()
                + Api.as(org.adminKey())
                        .get("/organization/" + org.id() + "/audit?limit=1000")
                        .asString();
        assertTrue(exports.contains("secret.purge") && exports.contains("secret.read"), "the exports hold the records");
        for (String value : List.of(canary, rawCanary)) {
            for (String form : forms(value)) {
                assertFalse(exports.contains(form), "audit export contains a canary");
            }
        }
        assertFalse(exports.contains(org.adminKey()), "audit export contains an API key");
        assertFalse(exports.contains(PostgresResource.ADMIN_TOKEN), "audit export contains an API key");

        String dump = dumpDatabase();
        assertTrue(dump.contains("CANARY_JWE"), "the dump must hold the rows it is checked against");
        String log = Files.exists(PostgresResource.LOG_FILE) ? Files.readString(PostgresResource.LOG_FILE) : "";
        for (String value : List.of(canary, rawCanary)) {
            for (String form : forms(value)) {
                assertFalse(dump.contains(form), "database dump contains a canary");
                assertFalse(log.contains(form), "server log contains a canary");
            }
        }
        assertFalse(log.contains(PostgresResource.ADMIN_TOKEN), "server log contains an API key");
        assertFalse(log.contains(org.adminKey()), "server log contains an API key");
    }

    private static List<String> forms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return List.of(
                value,
                HexFormat.of().formatHex(bytes),
                Base64.getEncoder().encodeToString(bytes).substring(0, 16),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 16));
    }

    /** pg_dump when a matching one is installed, else every row of every table as text. */
    private static String dumpDatabase() throws Exception {
        try {
            ProcessBuilder pgDump = new ProcessBuilder(
                            "pg_dump",
                            "--dbname="
                                    + PostgresResource.jdbcUrl()
                                            .substring(5)
                                            .replace("postgresql://", "postgresql://" + PostgresResource.user() + "@"))
                    .redirectErrorStream(true);
            pgDump.environment().put("PGPASSWORD", PostgresResource.password());
            Process process = pgDump.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() == 0) {
                return out;
            }
        } catch (java.io.IOException noPgDump) {
            // fall through to the SQL dump
        }
        StringBuilder dump = new StringBuilder();
        try (Connection c = PostgresResource.connect();
                var s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select t::text from \"" + table + "\" t")) {
                    while (rs.next()) {
                        dump.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }
}
