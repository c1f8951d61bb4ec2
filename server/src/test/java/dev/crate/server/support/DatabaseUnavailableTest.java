package dev.crate.server.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A connection PostgreSQL drops in the middle of a query (a restart's fast shutdown resets it) is the database
 * being unavailable, not an internal error: the fault suite (faults/FaultSuiteIT) saw a raw {@code
 * SocketException: Connection reset} from the pool's read answer 500. Here with a real reset socket.
 */
class DatabaseUnavailableTest {
    @Test
    void aResetConnectionIsTheDatabaseBeingUnavailableHoweverWrapped() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SocketChannel client = SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0); // close with RST, as a killed backend's connection ends
            }
            SocketException reset = assertThrows(SocketException.class, () -> {
                while (client.read(ByteBuffer.allocate(16)) >= 0) {
                    Thread.onSpinWait();
                }
                throw new AssertionError("the connection ended without a reset");
            });
            assertEquals("SocketException", DatabaseUnavailable.reason(reset));
            assertEquals(
                    "SocketException",
                    DatabaseUnavailable.reason(
                            new CompletionException(new IllegalStateException("Hibernate Reactive", reset))));
        }
    }

    @Test
    void writingToADroppedConnectionIsTheDatabaseBeingUnavailable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SocketChannel client = SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0);
            }
            IOException broken = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    client.write(ByteBuffer.allocate(1024));
                    Thread.sleep(1);
                }
                throw new AssertionError("writes to a reset connection kept succeeding");
            });
            assertNotNull(DatabaseUnavailable.reason(new CompletionException(broken)), broken.toString());
        }
    }

    /** A pool connection PostgreSQL closed: the next statement (or rollback) on it fails "not active". */
    @Test
    void aStatementOnAClosedConnectionIsTheDatabaseBeingUnavailable() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.pgclient.PgConnectOptions options = new io.vertx.pgclient.PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(5432)
                    .setDatabase("postgres")
                    .setUser("postgres");
            io.vertx.pgclient.PgConnection connection;
            try {
                connection = io.vertx.pgclient.PgConnection.connect(vertx, options)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException none) {
                org.junit.jupiter.api.Assumptions.abort("no PostgreSQL on 127.0.0.1:5432: " + none.getCause());
                return;
            }
            connection.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            java.util.concurrent.ExecutionException failed = assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> connection
                            .query("select 1")
                            .execute()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(30, java.util.concurrent.TimeUnit.SECONDS));
            // as Mutiny reports a failure whose rollback failed too: the first one, the other suppressed
            io.smallrye.mutiny.CompositeException composite = new io.smallrye.mutiny.CompositeException(
                    new IllegalStateException("the statement"), failed.getCause());
            assertNotNull(DatabaseUnavailable.reason(failed), failed.getCause().toString());
            assertNotNull(DatabaseUnavailable.reason(composite), composite.toString());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void otherFailuresAreNot() {
        assertNull(DatabaseUnavailable.reason(new IOException("No space left on device")));
        assertNull(DatabaseUnavailable.reason(new IllegalStateException("a bug")));
        assertNull(DatabaseUnavailable.reason(null));
    }
}
