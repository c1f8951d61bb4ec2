package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crate's sealing against the {@code openssl} command: nothing of Crate's own crypto on the client side. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class OpensslInteropTest {
    private static final List<String> OAEP = List.of(
            "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256");

    @TempDir
    Path dir;

    private Org org;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    @Test
    void storesAValueSealedByOpensslPkeyutl() throws Exception {
        Path pub = dir.resolve("org.pem");
        Files.writeString(pub, Api.publicKey(org).pem());
        Path plain = dir.resolve("value.txt");
        Files.writeString(plain, "sealed-by-openssl ✓");
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
                dir.resolve("value.bin").toString()));
        command.addAll(OAEP);
        // The destination's label, as docs/API.md, section 6 has it (openssl takes it as hex).
        command.addAll(List.of(
                "-pkeyopt",
                "rsa_oaep_label:"
                        + java.util.HexFormat.of()
                                .formatHex(("crate/v1/" + org.id() + "/dev/FROM_OPENSSL")
                                        .getBytes(StandardCharsets.UTF_8))));
        run(command);
        String sealed = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("value.bin")));
        Api.storeSealed(org, "dev", "FROM_OPENSSL", sealed, null).then().statusCode(200);
        assertEquals("sealed-by-openssl ✓", Api.value(Api.retrieve(org, "dev", null, null), "FROM_OPENSSL"));
    }

    @Test
    void retrievesToAnOpensslKeyAndOpensTheJweWithoutCratesCode() throws Exception {
        Api.storeOk(org, "dev", "FOR_OPENSSL", "opened-by-openssl", List.of("backend"));
        Path key = dir.resolve("client.key");
        run(List.of(
                "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString()));
        run(List.of(
                "openssl",
                "pkey",
                "-in",
                key.toString(),
                "-pubout",
                "-out",
                dir.resolve("client.pub").toString()));
        String jwe = as(org.adminKey())
                .body(Map.of(
                        "environment",
                        "dev",
                        "names",
                        List.of("FOR_OPENSSL"),
                        "client_public_key_pem",
                        Files.readString(dir.resolve("client.pub"))))
                .post("/organization/" + org.id() + "/secrets/retrieve")
                .then()
                .statusCode(200)
                .extract()
                .path("sealed_payload");
        String[] parts = jwe.split("\\.");
        assertEquals(5, parts.length);
        JsonNode header = Api.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("RSA-OAEP-256", header.get("alg").asText());
        assertEquals("A256GCM", header.get("enc").asText());

        Files.write(dir.resolve("cek.enc"), Base64.getUrlDecoder().decode(parts[1]));
        List<String> decrypt = new ArrayList<>(List.of(
                "openssl",
                "pkeyutl",
                "-decrypt",
                "-inkey",
                key.toString(),
                "-in",
                dir.resolve("cek.enc").toString(),
                "-out",
                dir.resolve("cek").toString()));
        decrypt.addAll(OAEP);
        run(decrypt);
        byte[] cek = Files.readAllBytes(dir.resolve("cek"));
        assertEquals(32, cek.length);

        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(cek, "AES"),
                new GCMParameterSpec(128, Base64.getUrlDecoder().decode(parts[2])));
        gcm.updateAAD(parts[0].getBytes(StandardCharsets.US_ASCII));
        byte[] ciphertext = Base64.getUrlDecoder().decode(parts[3]);
        byte[] tag = Base64.getUrlDecoder().decode(parts[4]);
        byte[] joined = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
        System.arraycopy(tag, 0, joined, ciphertext.length, tag.length);
        JsonNode payload = Api.JSON.readTree(gcm.doFinal(joined));

        assertEquals("dev", payload.get("environment").asText());
        assertEquals("FOR_OPENSSL", payload.get("secrets").get(0).get("name").asText());
        assertEquals(
                "opened-by-openssl", payload.get("secrets").get(0).get("value").asText());
        assertEquals("backend", payload.get("secrets").get(0).get("tags").get(0).asText());
        assertTrue(payload.get("missing").isEmpty());
    }

    @Test
    void theOrgPublicKeyParsesWithOpenssl() throws Exception {
        Path pub = dir.resolve("org.pem");
        Files.writeString(pub, Api.publicKey(org).pem());
        String text = run(List.of("openssl", "pkey", "-pubin", "-in", pub.toString(), "-noout", "-text"));
        assertTrue(text.contains("3072 bit"), text);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, exit, String.join(" ", command) + " failed: " + text);
        return text;
    }
}
