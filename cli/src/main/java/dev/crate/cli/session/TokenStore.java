package dev.crate.cli.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code credentials.json} (0600): one {@link StoredToken} per server URL. */
public final class TokenStore {
    private static final String FILE = "credentials.json";
    private final ConfigDir dir;

    public TokenStore(ConfigDir dir) {
        this.dir = dir;
    }

    /** Read without Jackson (every command that uses a stored login reads it), as Jackson would read it. */
    public Optional<StoredToken> get(String server) {
        Object node = dir.readLean(FILE).get(server);
        if (!(node instanceof Map<?, ?> token)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredToken(
                    text(token, "kind"),
                    text(token, "access_token"),
                    text(token, "refresh_token"),
                    instant(token.get("expires_at")),
                    text(token, "token_endpoint"),
                    text(token, "client_id"),
                    text(token, "token_file"),
                    text(token, "organization")));
        } catch (RuntimeException e) {
            throw new CliException("stored credentials for " + server + " are unreadable; run 'crate login' again");
        }
    }

    /**
     * The URL under which a credential is stored for {@code server}, compared as {@link ServerUrl#same} does
     * (so {@code https://crate.example.com/} finds the login made as {@code https://crate.example.com}).
     */
    public Optional<String> serverMatching(String server) {
        for (Object key : dir.readLean(FILE).keySet()) {
            String stored = String.valueOf(key);
            if (ServerUrl.same(stored, server)) {
                return Optional.of(stored);
            }
        }
        return Optional.empty();
    }

    private static String text(Map<?, ?> token, String field) {
        Object value = token.get(field);
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return value == null ? null : value.toString();
    }

    /** An ISO-8601 instant, as written; or seconds since the epoch, as Jackson also reads. */
    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long seconds) {
            return Instant.ofEpochSecond(seconds);
        }
        if (value instanceof Double seconds) {
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
        }
        if (value instanceof String text) {
            return Instant.parse(text);
        }
        throw new IllegalArgumentException("expires_at is not a time");
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
