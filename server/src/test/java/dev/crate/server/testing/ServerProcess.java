package dev.crate.server.testing;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged server (target/quarkus-app) as a real process, with a small HTTP client for the tests that start it. */
public final class ServerProcess implements AutoCloseable {
    public static final Path JAR =
            Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    public final int port;
    private final String token;

    private ServerProcess(Process process, Path log, int port, String token) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.token = token;
    }

    /**
     * Starts the jar with only the given CRATE_* settings (and a free port and data directory, unless {@code env}
     * names them: {@code QUARKUS_HTTP_PORT}, {@code CRATE_DATA_DIR}).
     */
    public static ServerProcess start(String token, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("crate-it-data");
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = Files.createTempFile("crate-it-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("CRATE_") || k.startsWith("QUARKUS_"));
        environment.put("CRATE_DATA_DIR", dataDir.toString());
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put("CRATE_BOOTSTRAP_TOKEN", token);
        environment.putAll(env);
        if (env.containsKey("QUARKUS_HTTP_PORT")) {
            port = Integer.parseInt(env.get("QUARKUS_HTTP_PORT"));
        }
        return new ServerProcess(builder.start(), log, port, token);
    }

    public ServerProcess awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited early: " + output());
            }
            try {
                if (send(HttpRequest.newBuilder(uri("/q/health/ready")).build()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not ready in time: " + output());
    }

    public int awaitExit(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("server did not exit: " + output());
        }
        return process.exitValue();
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no rollback but the database's own. */
    public void kill9() throws Exception {
        new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).start().waitFor();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The server's resident set size now, from /proc (Linux), in bytes. */
    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for the server process");
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60));
    }

    /** A request with another credential than the bootstrap key; {@code body} null sends none. */
    public HttpResponse<String> send(String bearer, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        return send(request(path)
                .setHeader("Authorization", "Bearer " + bearer)
                .method(method, publisher)
                .build());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
        return send(request(path)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    /** The log file the server writes (stdout and stderr). */
    public Path logFile() {
        return log;
    }

    public JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public String defaultOrg() throws Exception {
        return getJson("/organizations").get("organizations").get(0).get("id").asText();
    }

    /** Seals with the org's current public key (as this server publishes it) and stores; the HTTP status. */
    public HttpResponse<String> store(String orgId, String name, String value) throws Exception {
        JsonNode key = getJson("/organization/" + orgId + "/secrets/public-key");
        String sealed = Sealing.sealJwe(
                Pem.decode(key.get("public_key_pem").asText(), "RSA"),
                key.get("kid").asText(),
                new dev.crate.protocol.sealing.Destination(orgId, "dev", name),
                value.getBytes(StandardCharsets.UTF_8));
        return storeSealed(orgId, name, sealed);
    }

    public HttpResponse<String> storeSealed(String orgId, String name, String sealed) throws Exception {
        String body = JSON.writeValueAsString(
                Map.of("name", name, "environment", "dev", "encrypted_value", sealed, "sealed", true));
        return send(request("/organization/" + orgId + "/secrets")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** Every value of environment dev, by name. */
    public Map<String, String> retrieveAll(String orgId) throws Exception {
        TemporaryKey key = TemporaryKey.generate();
        HttpResponse<String> response = post(
                "/organization/" + orgId + "/secrets/retrieve",
                Map.of("environment", "dev", "client_public_jwk", key.publicJwk()));
        if (response.statusCode() != 200) {
            throw new AssertionError("retrieve -> " + response.statusCode() + " " + response.body());
        }
        JsonNode payload = JSON.readTree(
                key.open(JSON.readTree(response.body()).get("sealed_payload").asText()));
        Map<String, String> values = new HashMap<>();
        for (JsonNode secret : payload.get("secrets")) {
            values.put(secret.get("name").asText(), secret.get("value").asText());
        }
        return values;
    }

    public List<String> states(String orgId) throws Exception {
        List<String> states = new java.util.ArrayList<>();
        getJson("/organization/" + orgId + "/keys")
                .get("org_keys")
                .forEach(k -> states.add(
                        k.get("version").asInt() + ":" + k.get("state").asText()));
        return states;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
