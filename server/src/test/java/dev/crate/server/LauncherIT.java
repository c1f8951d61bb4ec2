package dev.crate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged server as a user runs it: no database configured, so it brings up the embedded
 * PostgreSQL in its data directory, bootstraps, serves, stops cleanly and comes back with its data;
 * with a printed admin key and a dev root key it listens on loopback only unless told otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path JAR =
            Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static Path dataDir;
    private static String adminKey;
    private static String orgId;

    @Test
    @Order(1)
    void firstStartBringsUpTheEmbeddedDatabaseAndPrintsTheBootstrapKeyOnce() throws Exception {
        dataDir = Files.createTempDirectory("crate-launcher");
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Server server = Server.start(dataDir, Map.of())) {
            long ready = server.awaitReady();
            report("cold start to ready (first start, initdb included): " + ready + " ms");
            String output = server.output();
            assertTrue(output.contains("Admin API key (shown once)"), output);
            assertTrue(output.contains("CRATE-0020"), "says at start that it takes API keys only");
            Path tokenFile = dataDir.resolve("bootstrap-token");
            adminKey = Files.readString(tokenFile).trim();
            assertTrue(output.contains(adminKey));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            orgId = get(server, "/organizations")
                    .get("organizations")
                    .get(0)
                    .get("id")
                    .asText();
            store(server, "LAUNCHER_SECRET", "survives restarts");
            assertEquals("survives restarts", retrieve(server, "LAUNCHER_SECRET"));
            assertEquals(0, server.stop(), "a SIGTERM ends the server with status 0");
        }
        assertFalse(postgresRunningOn(dataDir), "the embedded PostgreSQL stops with the server");
    }

    @Test
    @Order(2)
    void aRestartKeepsTheDataAndDoesNotBootstrapAgain() throws Exception {
        try (Server server = Server.start(dataDir, Map.of())) {
            long ready = server.awaitReady();
            report("warm start to ready (kept data directory): " + ready + " ms");
            assertEquals("survives restarts", retrieve(server, "LAUNCHER_SECRET"));
            assertFalse(server.output().contains("shown once"));
            HttpResponse<String> jwt = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/organizations"))
                            .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, jwt.statusCode(), "without an identity provider a JWT is a quiet 401");
            assertFalse(server.output().contains("ERROR"), server.output());
            assertEquals(0, server.stop());
        }
        assertFalse(postgresRunningOn(dataDir));
    }

    @Test
    @Order(3)
    void anUnreachableIdentityProviderMakesTokensA503AndLeavesApiKeysWorking() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (Server server =
                Server.start(dataDir, Map.of("CRATE_OIDC_ISSUER", "http://127.0.0.1:" + deadPort + "/realms/gone"))) {
            server.awaitReady();
            HttpResponse<String> jwt = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/me"))
                            .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, jwt.statusCode(), jwt.body());
            assertEquals(
                    "service_unavailable", JSON.readTree(jwt.body()).get("code").asText());
            HttpResponse<String> config = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/auth/config"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, config.statusCode(), config.body());
            assertEquals(
                    "survives restarts",
                    retrieve(server, "LAUNCHER_SECRET"),
                    "API keys do not need the identity provider");
            String output = server.output();
            assertTrue(output.contains("CRATE-0022"), "the operator is told why tokens fail");
            assertFalse(output.contains(" ERROR "), output);
            assertEquals(0, server.stop());
        }
        assertFalse(postgresRunningOn(dataDir));
    }

    @Test
    @Order(4)
    void losingTheEmbeddedDatabaseAtRuntimeRestartsItAndServesAgain() throws Exception {
        try (Server server = Server.start(dataDir, Map.of())) {
            server.awaitReady();
            long postmaster =
                    Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"))
                            .get(0)
                            .trim());
            // SIGQUIT: PostgreSQL's immediate shutdown, every backend gone at once, as in a crash
            new ProcessBuilder("kill", "-QUIT", String.valueOf(postmaster))
                    .start()
                    .waitFor();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!server.output().contains("CRATE-0075") && System.nanoTime() < deadline) {
                assertEquals(
                        200,
                        HTTP.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        "http://127.0.0.1:" + server.port + "/q/health/live"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode(),
                        "liveness does not depend on the database");
                Thread.sleep(250);
            }
            String output = server.output();
            assertTrue(output.contains("CRATE-0074"), "the operator is told the database went away: " + output);
            assertTrue(output.contains("CRATE-0075"), "and that it serves again: " + output);
            server.awaitReadiness(200, 30);
            assertEquals("survives restarts", retrieve(server, "LAUNCHER_SECRET"));
        }
    }

    @Test
    @Order(5)
    void anotherRootKeyRefusesToStartAndNamesTheMissingKid() throws Exception {
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        try (Server server = Server.start(dataDir, Map.of("CRATE_ROOT_KEY", otherKey))) {
            int exit = server.awaitExit(120);
            assertNotEquals(0, exit);
            String output = server.output();
            assertTrue(output.contains("CRATE-0002") && output.contains("rk-"), output);
            assertFalse(output.contains(otherKey), "the key itself is never printed");
        }
        assertFalse(postgresRunningOn(dataDir));
    }

    @Test
    @Order(6)
    void byDefaultItListensOnLoopbackOnly() throws Exception {
        try (Server server = Server.start(dataDir, Map.of())) {
            server.awaitReady();
            List<String> bound = listeningAddresses(server.port);
            assertFalse(bound.isEmpty(), "no listening socket found for port " + server.port);
            assertTrue(
                    bound.stream().allMatch(LauncherIT::isLoopback),
                    "the dev-key server listens beyond loopback: " + bound);
            assertEquals(0, server.stop());
        }
    }

    @Test
    @Order(7)
    void quarkusHttpHostMakesItListenOnEveryInterface() throws Exception {
        try (Server server = Server.start(dataDir, Map.of("QUARKUS_HTTP_HOST", "0.0.0.0"))) {
            server.awaitReady();
            List<String> bound = listeningAddresses(server.port);
            assertTrue(bound.stream().anyMatch(LauncherIT::isWildcard), "not bound to every interface: " + bound);
            assertEquals(0, server.stop());
        }
    }

    /**
     * The local addresses (hex, as the kernel lists them in /proc/net/tcp and tcp6) of the sockets
     * listening on this port: read from the kernel, so the test never sends traffic beyond loopback.
     */
    private static List<String> listeningAddresses(int port) throws IOException {
        String suffix = String.format(":%04X", port);
        List<String> found = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                // fields: sl, local_address, rem_address, st (0A = LISTEN), ...
                if (fields.length > 3 && fields[3].equals("0A") && fields[1].endsWith(suffix)) {
                    found.add(fields[1].substring(0, fields[1].length() - suffix.length()));
                }
            }
        }
        return found;
    }

    /** 127.0.0.1, ::1, or 127.0.0.1 mapped into IPv6 (the kernel prints IPv4 words little-endian). */
    private static boolean isLoopback(String hex) {
        return hex.equals("0100007F")
                || hex.equals("00000000000000000000000001000000")
                || hex.equals("0000000000000000FFFF00000100007F");
    }

    /** 0.0.0.0, ::, or 0.0.0.0 mapped into IPv6. */
    private static boolean isWildcard(String hex) {
        return hex.matches("0+") || hex.equals("0000000000000000FFFF000000000000");
    }

    private static void report(String line) throws IOException {
        System.out.println("[launcher] " + line);
        Files.writeString(
                Path.of("target", "launcher-timings.txt"),
                line + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static boolean postgresRunningOn(Path dir) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    return cmd.contains("postgres") && cmd.contains(dir.toString());
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static JsonNode get(Server server, String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(server.request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void store(Server server, String name, String value) throws Exception {
        JsonNode key = get(server, "/organization/" + orgId + "/secrets/public-key");
        String sealed = Sealing.sealJwe(
                Pem.decode(key.get("public_key_pem").asText(), "RSA"),
                key.get("kid").asText(),
                new dev.crate.protocol.sealing.Destination(orgId, "dev", name),
                value.getBytes(StandardCharsets.UTF_8));
        String body = JSON.writeValueAsString(Map.of("name", name, "encrypted_value", sealed, "sealed", true));
        HttpResponse<String> response = HTTP.send(
                server.request("/organization/" + orgId + "/secrets")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static String retrieve(Server server, String name) throws Exception {
        TemporaryKey key = TemporaryKey.generate();
        String body = JSON.writeValueAsString(Map.of("names", List.of(name), "client_public_jwk", key.publicJwk()));
        HttpResponse<String> response = HTTP.send(
                server.request("/organization/" + orgId + "/secrets/retrieve")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode payload = JSON.readTree(
                key.open(JSON.readTree(response.body()).get("sealed_payload").asText()));
        return payload.get("secrets").get(0).get("value").asText();
    }

    /** One server process with its output captured to a file. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final int port;
        private final long startedAt = System.nanoTime();

        private Server(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.port = port;
        }

        static Server start(Path dataDir, Map<String, String> env) throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("crate-launcher", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(k -> k.startsWith("CRATE_") || k.startsWith("QUARKUS_"));
            environment.put("CRATE_DATA_DIR", dataDir.toString());
            environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            environment.putAll(env);
            return new Server(builder.start(), log, port);
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + adminKey)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30));
        }

        long awaitReady() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("server exited early: " + output());
                }
                try {
                    HttpResponse<String> response = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError("server not ready in time: " + output());
        }

        HttpResponse<String> awaitReadiness(int status, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            HttpResponse<String> response = null;
            while (System.nanoTime() < deadline) {
                response = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == status) {
                    return response;
                }
                Thread.sleep(200);
            }
            throw new AssertionError(
                    "readiness never answered " + status + "; last: " + (response == null ? "none" : response.body()));
        }

        int awaitExit(int seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("server did not exit: " + output());
            }
            return process.exitValue();
        }

        /** SIGTERM; the server (and its embedded PostgreSQL) must be gone within 15 s. */
        int stop() throws Exception {
            process.destroy();
            return awaitExit(15) == 143 ? 0 : process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
