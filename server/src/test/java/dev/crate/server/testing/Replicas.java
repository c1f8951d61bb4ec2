package dev.crate.server.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Packaged servers ({@link ServerProcess}) sharing one fresh database ({@link ItDatabase}) and one bootstrap
 * admin key: the replicas of the multi-replica ITs. {@link #close} stops every server it started, then drops
 * the database.
 */
public final class Replicas implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    public final ItDatabase database;
    /** The bootstrap admin API key every replica starts with. */
    public final String token = "crate_" + HexFormat.of().formatHex(random(24));

    private final List<ServerProcess> servers = new ArrayList<>();

    private Replicas(ItDatabase database) {
        this.database = database;
    }

    /** A fresh database named {@code prefix_<random>} and no server yet. */
    public static Replicas create(String prefix) throws Exception {
        return new Replicas(ItDatabase.create(prefix));
    }

    /** Starts a replica with exactly these settings (start from {@code database.serverSettings()}); not awaited. */
    public ServerProcess start(Map<String, String> env) throws Exception {
        ServerProcess server = ServerProcess.start(token, env);
        servers.add(server);
        return server;
    }

    /** A random 256-bit root key, base64 (CRATE_ROOT_KEY). */
    public static String newRootKey() {
        return Base64.getEncoder().encodeToString(random(32));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() throws Exception {
        try {
            for (ServerProcess server : servers) {
                server.close();
            }
        } finally {
            database.close();
        }
    }
}
