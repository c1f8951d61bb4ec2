package dev.crate.protocol.wire;

import java.util.List;

/** One secret with its value; only ever serialized inside a JWE. Redacts itself in {@link #toString()}. */
public record RetrievedSecret(String name, String value, int version, List<String> tags) {

    @Override
    public String toString() {
        return "RetrievedSecret[name=" + name + ", value=REDACTED, version=" + version + ", tags=" + tags + "]";
    }
}
