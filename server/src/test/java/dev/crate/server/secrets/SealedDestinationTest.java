package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.Destination;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.server.audit.AuditTrailTest;
import dev.crate.server.identity.CallerCache;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.DatabaseOnlyProfile;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed values are bound to their destination (docs/API.md, section 6; docs/SECURITY.md, "Sealed values bound
 * to their destination"): a value captured on its way to one org, environment or name cannot be replayed into
 * another to read it back there.
 */
@QuarkusTest
@TestProfile(DatabaseOnlyProfile.class)
class SealedDestinationTest {

    @Inject
    CallerCache callers;

    @TempDir
    Path dir;

    private Org org;
    private Api.PublicKey key;
    /** A member key that may write and read dev only. */
    private String devOnly;

    @BeforeEach
    void seed() {
        org = Api.newOrg();
        key = Api.publicKey(org);
        devOnly = as(org.adminKey())
                .body(Map.of("name", "dev only", "role", "member", "grants", Map.of("dev", List.of("read", "write"))))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    private Response store(String token, String env, String name, String sealed) {
        return as(token)
                .body(Map.of("name", name, "environment", env, "encrypted_value", sealed, "sealed", true))
                .put("/organization/" + org.id() + "/secrets");
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private String jwe(Destination destination, String value) {
        return Sealing.sealJwe(key.key(), key.kid(), destination, utf8(value));
    }

    private String raw(Destination destination, String value) {
        return Sealing.sealRaw(key.key(), destination, utf8(value));
    }

    private void assertNothingStoredIn(String env) {
        as(org.adminKey())
                .get("/organization/" + org.id() + "/secrets?env=" + env)
                .then()
                .statusCode(200)
                .body("secrets.size()", equalTo(0));
    }

    /** The successful secret.write records of the org (a refused store may be audited as denied, never as success). */
    private List<JsonNode> successfulWrites() throws Exception {
        List<JsonNode> writes = new ArrayList<>();
        for (JsonNode e : AuditTrailTest.events(org, "&action=secret.write")) {
            if ("success".equals(e.path("outcome").asText())) {
                writes.add(e);
            }
        }
        return writes;
    }

    private void allowUnbound(boolean allow) throws Exception {
        try (Connection c = PostgresResource.connect();
                PreparedStatement s =
                        c.prepareStatement("update organizations set allow_unbound_sealed_values = ? where id = ?")) {
            s.setBoolean(1, allow);
            s.setObject(2, UUID.fromString(org.id()));
            assertEquals(1, s.executeUpdate());
        }
        callers.changed(UUID.fromString(org.id()));
    }

    @Test
    void aValueSealedForProdCannotBeReplayedIntoDevByAMemberOfDev() throws Exception {
        // The admin's value for prod, as it travelled: captured by a member who may write and read dev only.
        Destination prod = Api.destination(org, "prod", "STRIPE_KEY");
        String capturedJwe = jwe(prod, "sk_live_from_prod");
        String capturedRaw = raw(prod, "sk_live_from_prod");
        store(org.adminKey(), "prod", "STRIPE_KEY", capturedJwe).then().statusCode(200);
        int writesBefore = successfulWrites().size();

        store(devOnly, "dev", "STRIPE_KEY", capturedJwe)
                .then()
                .statusCode(400)
                .body("code", equalTo("sealed_value_mismatch"));
        // Raw RSA-OAEP: the label names prod, so the value does not open for dev at all.
        store(devOnly, "dev", "STRIPE_KEY", capturedRaw)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));

        assertNothingStoredIn("dev");
        assertEquals(writesBefore, successfulWrites().size(), "no refused store is audited as a success");
        // The member cannot read what it never got to store; the prod value is untouched.
        assertEquals("sk_live_from_prod", Api.value(Api.retrieve(org, "prod", null, null), "STRIPE_KEY"));
    }

    @Test
    void aWrongNameOrAWrongOrgIsRefusedAsWell() throws Exception {
        String otherName = jwe(Api.destination(org, "dev", "OTHER"), "v");
        store(devOnly, "dev", "TARGET", otherName)
                .then()
                .statusCode(400)
                .body("code", equalTo("sealed_value_mismatch"));
        String otherNameRaw = raw(Api.destination(org, "dev", "OTHER"), "v");
        store(devOnly, "dev", "TARGET", otherNameRaw)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));

        // Sealed to this org's key but naming another org (as a client of that org would bind it).
        Destination elsewhere = new Destination(UUID.randomUUID().toString(), "dev", "TARGET");
        store(devOnly, "dev", "TARGET", jwe(elsewhere, "v"))
                .then()
                .statusCode(400)
                .body("code", equalTo("sealed_value_mismatch"));
        store(devOnly, "dev", "TARGET", raw(elsewhere, "v"))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));
        assertNothingStoredIn("dev");
        assertEquals(0, successfulWrites().size());
    }

    @Test
    void aJweWhoseClaimsWereEditedToMatchDoesNotOpen() {
        String prod = jwe(Api.destination(org, "prod", "DB"), "secret");
        String[] parts = prod.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String edited = header.replace("\"crate_env\":\"prod\"", "\"crate_env\":\"dev\"");
        assertFalse(edited.equals(header), header);
        parts[0] = Base64.getUrlEncoder().withoutPadding().encodeToString(edited.getBytes(StandardCharsets.UTF_8));
        store(devOnly, "dev", "DB", String.join(".", parts))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));
        assertNothingStoredIn("dev");
    }

    @Test
    void boundRawAndBoundJweAreAcceptedAndNotMarkedUnbound() throws Exception {
        store(devOnly, "dev", "RAW", raw(Api.destination(org, "dev", "RAW"), "raw-value"))
                .then()
                .statusCode(200);
        String big = "x".repeat(4000);
        store(devOnly, "dev", "JWE", jwe(Api.destination(org, "dev", "JWE"), big))
                .then()
                .statusCode(200);
        // Without an environment the store goes to dev, and the value is bound to dev.
        as(devOnly)
                .body(Map.of(
                        "name",
                        "DEFAULTED",
                        "encrypted_value",
                        jwe(Api.destination(org, null, "DEFAULTED"), "d"),
                        "sealed",
                        true))
                .put("/organization/" + org.id() + "/secrets")
                .then()
                .statusCode(200)
                .body("environment", equalTo("dev"));
        var values = Api.retrieve(org, "dev", null, null);
        assertEquals("raw-value", Api.value(values, "RAW"));
        assertEquals(big, Api.value(values, "JWE"));
        List<JsonNode> writes = successfulWrites();
        assertEquals(3, writes.size());
        for (JsonNode write : writes) {
            assertTrue(
                    write.path("detail").isMissingNode() || write.path("detail").isNull(), write.toString());
        }
    }

    @Test
    void unboundValuesAreRefusedByDefaultAndAcceptedAndAuditedWhereTheOrgAllowsThem() throws Exception {
        String unboundJwe = Sealing.sealJwe(key.key(), key.kid(), utf8("unbound-jwe"));
        String unboundRaw = Sealing.sealRaw(key.key(), utf8("unbound-raw"));
        store(devOnly, "dev", "U_JWE", unboundJwe)
                .then()
                .statusCode(400)
                .body("code", equalTo("sealed_value_mismatch"));
        store(devOnly, "dev", "U_RAW", unboundRaw).then().statusCode(400).body("code", equalTo("invalid_sealed_value"));
        assertNothingStoredIn("dev");
        assertEquals(0, successfulWrites().size());

        allowUnbound(true);
        try {
            store(devOnly, "dev", "U_JWE", unboundJwe).then().statusCode(200);
            store(devOnly, "dev", "U_RAW", unboundRaw).then().statusCode(200);
            // Bound values still open, and a value bound elsewhere is still refused.
            store(devOnly, "dev", "B_RAW", raw(Api.destination(org, "dev", "B_RAW"), "b"))
                    .then()
                    .statusCode(200);
            store(devOnly, "dev", "B_RAW", raw(Api.destination(org, "prod", "B_RAW"), "b"))
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_sealed_value"));
            store(devOnly, "dev", "B_RAW", jwe(Api.destination(org, "prod", "B_RAW"), "b"))
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("sealed_value_mismatch"));
            var values = Api.retrieve(org, "dev", null, null);
            assertEquals("unbound-jwe", Api.value(values, "U_JWE"));
            assertEquals("unbound-raw", Api.value(values, "U_RAW"));

            List<JsonNode> writes = successfulWrites();
            assertEquals(3, writes.size(), writes.toString());
            for (JsonNode write : writes) {
                boolean unbound = write.path("name").asText().startsWith("U_");
                String detail = write.path("detail").toString();
                assertEquals(unbound, detail.contains("unbound"), write.toString());
                assertFalse(write.toString().contains("unbound-jwe")
                        || write.toString().contains("unbound-raw"));
            }
            assertTrue(AuditTrailTest.verify(org).get("intact").asBoolean());
        } finally {
            allowUnbound(false);
        }
        store(devOnly, "dev", "U_RAW", unboundRaw).then().statusCode(400).body("code", equalTo("invalid_sealed_value"));
    }

    /** The label as the openssl command line sets it: interop with what docs/API.md, section 6 shows. */
    @Test
    void opensslSealsWithTheDocumentedLabel() throws Exception {
        Path pub = dir.resolve("org.pem");
        Files.writeString(pub, key.pem());
        String forDev = openssl(pub, "crate/v1/" + org.id() + "/dev/FROM_OPENSSL", "bound by openssl ✓");
        store(devOnly, "dev", "FROM_OPENSSL", forDev).then().statusCode(200);
        assertEquals("bound by openssl ✓", Api.value(Api.retrieve(org, "dev", null, null), "FROM_OPENSSL"));

        String forProd = openssl(pub, "crate/v1/" + org.id() + "/prod/FROM_OPENSSL", "for prod");
        store(devOnly, "dev", "FROM_OPENSSL", forProd)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_sealed_value"));
        // Crate's own sealing makes the same label: openssl opens it with the documented one.
        Path priv = dir.resolve("mine.key");
        run(List.of(
                "openssl",
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                priv.toString()));
        Path mine = dir.resolve("mine.pub");
        run(List.of("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", mine.toString()));
        Destination destination = new Destination(org.id(), "dev", "FROM_CRATE");
        String sealed = Sealing.sealRaw(
                dev.crate.protocol.sealing.Pem.decode(Files.readString(mine), "RSA"), destination, utf8("round trip"));
        Files.write(dir.resolve("crate.bin"), Base64.getDecoder().decode(sealed));
        List<String> decrypt = new ArrayList<>(List.of(
                "openssl",
                "pkeyutl",
                "-decrypt",
                "-inkey",
                priv.toString(),
                "-in",
                dir.resolve("crate.bin").toString(),
                "-out",
                dir.resolve("crate.txt").toString()));
        decrypt.addAll(oaep("crate/v1/" + org.id() + "/dev/FROM_CRATE"));
        run(decrypt);
        assertEquals("round trip", Files.readString(dir.resolve("crate.txt")));
    }

    private static List<String> oaep(String label) {
        StringBuilder hex = new StringBuilder();
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format("%02x", b));
        }
        return List.of(
                "-pkeyopt", "rsa_padding_mode:oaep",
                "-pkeyopt", "rsa_oaep_md:sha256",
                "-pkeyopt", "rsa_mgf1_md:sha256",
                "-pkeyopt", "rsa_oaep_label:" + hex);
    }

    private String openssl(Path pub, String label, String value) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), value);
        Path out = dir.resolve("sealed.bin");
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "pkeyutl",
                "-encrypt",
                "-pubin",
                "-inkey",
                pub.toString(),
                "-in",
                plain.toString(),
                "-out",
                out.toString()));
        command.addAll(oaep(label));
        run(command);
        return Base64.getEncoder().encodeToString(Files.readAllBytes(out));
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }
}
