package dev.crate.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.ServerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A failed start names its cause in one ERROR line with a log id, the last line of the log, and exits
 * 1 (docs/OPERATIONS.md, section 9, CRATE-0073): the packaged server on a taken HTTP port with the
 * embedded and with an external database, and with an external database that cannot be reached.
 */
class StartFailureIT {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aTakenPortWithTheEmbeddedDatabaseEndsWithOneErrorLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerProcess server = ServerProcess.start(
                        token(), Map.of("QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort())))) {
            assertEquals(1, server.awaitExit(180), server.output());
            assertLastLineNames(server.output(), "HTTP port " + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void aTakenPortWithAnExternalDatabaseEndsWithOneErrorLine() throws Exception {
        String admin = "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=2";
        String database = "crate_start_it_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
            c.createStatement().execute("create database " + database);
        } catch (java.sql.SQLException none) {
            Assumptions.abort("no PostgreSQL on 127.0.0.1:5432 for the external-database case");
        }
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerProcess server = ServerProcess.start(
                        token(),
                        Map.of(
                                "QUARKUS_HTTP_PORT",
                                Integer.toString(taken.getLocalPort()),
                                "CRATE_DB_URL",
                                "postgresql://127.0.0.1:5432/" + database,
                                "CRATE_DB_USER",
                                "postgres",
                                "CRATE_ROOT_KEY",
                                rootKey()))) {
            assertEquals(1, server.awaitExit(180), server.output());
            assertLastLineNames(server.output(), "HTTP port " + taken.getLocalPort() + " is in use");
        } finally {
            try (Connection c = DriverManager.getConnection(admin, "postgres", "")) {
                c.createStatement().execute("drop database if exists " + database + " with (force)");
            }
        }
    }

    @Test
    void anUnreachableExternalDatabaseEndsWithOneErrorLine() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        try (ServerProcess server = ServerProcess.start(
                token(),
                Map.of(
                        "CRATE_DB_URL",
                        "postgresql://127.0.0.1:" + closed + "/crate",
                        "CRATE_DB_USER",
                        "crate",
                        "CRATE_ROOT_KEY",
                        rootKey()))) {
            assertEquals(1, server.awaitExit(180), server.output());
            assertLastLineNames(server.output(), "the database cannot be reached");
        }
    }

    @Test
    void anEmptyDevRootKeyFileRefusesTheStartAndIsNotReplaced() throws Exception {
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("crate-it-empty-key");
        java.nio.file.Path keyFile = dataDir.resolve("root-key.dev");
        java.nio.file.Files.createFile(keyFile);
        try (ServerProcess server = ServerProcess.start(token(), Map.of("CRATE_DATA_DIR", dataDir.toString()))) {
            assertEquals(1, server.awaitExit(180), server.output());
            assertLastLineNames(server.output(), "the dev root key file " + keyFile + " is empty");
        }
        assertEquals(0, java.nio.file.Files.size(keyFile), "the empty key file was left as it was");
    }

    /** The last log line is the ERROR CRATE-0073 line, naming the cause; no other line carries that id. */
    private static void assertLastLineNames(String output, String cause) {
        List<String> lines = Arrays.stream(output.split("\n"))
                .filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*"))
                .toList();
        assertTrue(!lines.isEmpty(), output);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("ERROR") && last.contains("CRATE-0073 Crate could not start: "), output);
        assertTrue(last.contains(cause), last);
        assertEquals(1, output.split("CRATE-0073", -1).length - 1, output);
    }

    private static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "crate_" + HexFormat.of().formatHex(bytes);
    }

    private static String rootKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
