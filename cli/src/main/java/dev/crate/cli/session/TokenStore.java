package dev.crate.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import java.util.Optional;

/** {@code credentials.json} (0600): one {@link StoredToken} per server URL. */
public final class TokenStore {
    private static final String FILE = "credentials.json";
    private final ConfigDir dir;

    public TokenStore(ConfigDir dir) {
        this.dir = dir;
    }

    public Optional<StoredToken> get(String server) {
        JsonNode node = dir.read(FILE).get(server);
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.treeToValue(node, StoredToken.class));
        } catch (Exception e) {
            throw new CliException("stored credentials for " + server + " are unreadable; run 'crate login' again");
        }
    }

    /**
     * The URL under which a credential is stored for {@code server}, compared as {@link ServerUrl#same} does
     * (so {@code https://crate.example.com/} finds the login made as {@code https://crate.example.com}).
     */
    public Optional<String> serverMatching(String server) {
        java.util.Iterator<String> names = dir.read(FILE).fieldNames();
        while (names.hasNext()) {
            String stored = names.next();
            if (ServerUrl.same(stored, server)) {
                return Optional.of(stored);
            }
        }
        return Optional.empty();
    }

    public void put(String server, StoredToken token) {
        ObjectNode all = dir.read(FILE);
        all.set(server, Json.MAPPER.valueToTree(token));
        dir.write(FILE, all);
    }

    public boolean remove(String server) {
        ObjectNode all = dir.read(FILE);
        boolean had = all.remove(server) != null;
        if (had) {
            dir.write(FILE, all);
        }
        return had;
    }
}
