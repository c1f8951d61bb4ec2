package dev.crate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak (keycloak-quarkus-dist from Maven Central, unpacked under target/) with the test
 * realm {@code crate}: users alice, bob and mallory (unverified email), the public {@code crate-cli}
 * client with the device grant and the {@code crate} audience, and a realm signing key the tests
 * hold, so they can forge tokens that differ from a valid one in exactly one way.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {
    public static final String VERSION = "26.7.3";
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path ZIP =
            TARGET.resolve("keycloak-dist").resolve("keycloak-quarkus-dist-" + VERSION + ".zip");
    private static final Path HOME = TARGET.resolve("keycloak-" + VERSION);

    private static volatile String issuer;
    private static volatile KeyPair realmKey;
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            unpack();
            realmKey = generateKey();
            writeRealm();
            int port = freePort();
            int management = freePort();
            Path log = TARGET.resolve("keycloak.log");
            ProcessBuilder builder = new ProcessBuilder(
                            HOME.resolve("bin/kc.sh").toString(),
                            "start-dev",
                            "--http-port=" + port,
                            "--http-management-port=" + management,
                            "--import-realm",
                            "--cache=local")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-" + port);
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m");
            process = builder.start();
            issuer = "http://localhost:" + port + "/realms/crate";
            awaitRealm(log);
            return Map.of(
                    "quarkus.oidc.tenant-enabled", "true", "crate.oidc.issuer", issuer, "crate.oidc.audience", "crate");
        } catch (IOException | InterruptedException e) {
            stop();
            throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all =
                new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    public static String issuer() {
        return issuer;
    }

    public static String tokenEndpoint() {
        return issuer + "/protocol/openid-connect/token";
    }

    /** The realm's active signing key, held by the tests to forge tokens. */
    public static KeyPair realmKey() {
        return realmKey;
    }

    /** A user's access token through the password grant (enabled for the test client only). */
    public static String passwordToken(String user, String password) {
        try {
            String form = "grant_type=password&client_id=crate-cli&scope=openid%20email%20profile&username=" + user
                    + "&password=" + password;
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "password grant failed: " + response.statusCode() + " " + response.body());
            }
            return Api.JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unpack() throws IOException {
        if (Files.isExecutable(HOME.resolve("bin/kc.sh"))) {
            return;
        }
        if (!Files.exists(ZIP)) {
            throw new IOException(ZIP + " is missing; the Maven build copies it in generate-test-resources");
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(ZIP))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path out = TARGET.resolve(entry.getName()).normalize();
                if (!out.startsWith(TARGET)) {
                    throw new IOException("zip entry outside target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (var scripts = Files.list(HOME.resolve("bin"))) {
            scripts.filter(p -> p.toString().endsWith(".sh"))
                    .forEach(p -> p.toFile().setExecutable(true));
        }
    }

    private static KeyPair generateKey() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** The realm file with the test-held signing key and a self-signed certificate for it (made by openssl). */
    private static void writeRealm() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kc-key");
        Path keyFile = dir.resolve("key.pem");
        String pkcs8 = Base64.getEncoder().encodeToString(realmKey.getPrivate().getEncoded());
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n" + pkcs8.replaceAll("(.{64})", "$1\n")
                        + "\n-----END PRIVATE KEY-----\n");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-new",
                        "-x509",
                        "-key",
                        keyFile.toString(),
                        "-subj",
                        "/CN=crate-test",
                        "-days",
                        "2",
                        "-out",
                        dir.resolve("cert.pem").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (openssl.waitFor() != 0) {
            throw new IOException("openssl req failed: " + out);
        }
        String cert = Files.readString(dir.resolve("cert.pem"))
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        String realm;
        try (InputStream in = KeycloakResource.class.getResourceAsStream("/keycloak/crate-realm.json")) {
            realm = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        realm = realm.replace("__PRIVATE_KEY__", pkcs8).replace("__CERTIFICATE__", cert);
        Path imports = HOME.resolve("data/import");
        Files.createDirectories(imports);
        Files.writeString(imports.resolve("crate-realm.json"), realm);
        deleteTree(HOME.resolve("data/h2"));
        deleteTree(dir);
    }

    private static void awaitRealm(Path log) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // CRATE_TEST_KEYCLOAK_WAIT_SECONDS: more on a machine busy with other builds
        String wait = System.getenv("CRATE_TEST_KEYCLOAK_WAIT_SECONDS");
        long seconds = wait == null || wait.isBlank() ? 240 : Long.parseLong(wait.trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IOException("realm not served in time; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The kid under which the realm publishes {@link #realmKey()} in its JWKS, for tokens forged with the realm's own key. */
    public static String realmKid() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/certs"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        BigInteger modulus = ((RSAPublicKey) realmKey().getPublic()).getModulus();
        for (JsonNode key : Api.JSON.readTree(response.body()).get("keys")) {
            if (key.has("n")
                    && new BigInteger(
                                    1,
                                    Base64.getUrlDecoder().decode(key.get("n").asText()))
                            .equals(modulus)) {
                return key.get("kid").asText();
            }
        }
        throw new AssertionError("the test-held key is not in the realm's JWKS");
    }
}
