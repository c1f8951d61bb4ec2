package dev.crate.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Crate server, started for the CLI's end-to-end tests: on a fresh database of the
 * machine's PostgreSQL (127.0.0.1:5432, trust) when one answers, else on its embedded PostgreSQL.
 */
final class CrateServer implements AutoCloseable {
    static final Path JAR = Path.of("..", "server", "target", "quarkus-app", "quarkus-run.jar")
            .toAbsolutePath()
            .normalize();

    final String url;
    final String adminKey;
    private final Process process;
    private final Path log;
    private String database;

    /** The database on the machine's PostgreSQL, or null when the server runs its embedded one. */
    String database() {
        return database;
    }

    private CrateServer(Process process, Path log, String url, String adminKey) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.adminKey = adminKey;
    }

    static CrateServer start() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("the server jar is missing (" + JAR + "): build the server module first");
        }
        int port = freePort();
        String adminKey = "crate_" + HexFormat.of().formatHex(random(24));
        Path dataDir = Files.createTempDirectory("crate-cli-it-data");
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = Files.createTempFile("crate-cli-it-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CRATE_") || k.startsWith("QUARKUS_"));
        env.put("CRATE_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("CRATE_BOOTSTRAP_TOKEN", adminKey);
        String database = externalDatabase();
        if (database != null) {
            env.put("CRATE_DB_URL", "postgresql://127.0.0.1:5432/" + database);
            env.put("CRATE_DB_USER", "postgres");
            env.put("CRATE_ROOT_KEY", Base64.getEncoder().encodeToString(random(32)));
        }
        CrateServer server = new CrateServer(builder.start(), log, "http://127.0.0.1:" + port, adminKey);
        server.database = database;
        server.awaitReady();
        return server;
    }

    /** A fresh database on the machine's PostgreSQL, or null when there is none we can use. */
    private static String externalDatabase() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
        } catch (IOException none) {
            return null;
        }
        String name = "crate_cli_it_" + System.currentTimeMillis();
        try {
            Process psql = new ProcessBuilder(
                            "psql",
                            "-h",
                            "127.0.0.1",
                            "-U",
                            "postgres",
                            "-d",
                            "postgres",
                            "-c",
                            "CREATE DATABASE " + name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return psql.waitFor(30, TimeUnit.SECONDS) && psql.exitValue() == 0 ? name : null;
        } catch (IOException | InterruptedException noPsql) {
            return null;
        }
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited early: " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready in time: " + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (database != null) {
            new ProcessBuilder(
                            "psql",
                            "-h",
                            "127.0.0.1",
                            "-U",
                            "postgres",
                            "-d",
                            "postgres",
                            "-c",
                            "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }
}
