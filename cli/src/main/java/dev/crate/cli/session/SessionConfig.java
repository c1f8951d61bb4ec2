package dev.crate.cli.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** {@code config.json}: the server and organization chosen with {@code crate login} and {@code crate session org set}. */
public final class SessionConfig {
    private static final String FILE = "config.json";
    private final ConfigDir dir;

    public SessionConfig(ConfigDir dir) {
        this.dir = dir;
    }

    public Optional<String> server() {
        return field("server");
    }

    public Optional<String> org() {
        return field("org");
    }

    public Optional<String> orgName() {
        return field("org_name");
    }

    public void setServer(String server) {
        ObjectNode node = dir.read(FILE);
        node.put("server", server);
        dir.write(FILE, node);
    }

    public void setOrg(String id, String name) {
        ObjectNode node = dir.read(FILE);
        node.put("org", id);
        node.put("org_name", name);
        dir.write(FILE, node);
    }

    public void clearOrg() {
        ObjectNode node = dir.read(FILE);
        node.remove("org");
        node.remove("org_name");
        dir.write(FILE, node);
    }

    /** Read without Jackson: every command may consult it. A non-text value is taken as its text, as Jackson's asText. */
    private Optional<String> field(String name) {
        Object value = dir.readLean(FILE).get(name);
        return value == null || value instanceof java.util.Map || value instanceof java.util.List
                ? Optional.ofNullable(value == null ? null : "")
                : Optional.of(value.toString());
    }
}
