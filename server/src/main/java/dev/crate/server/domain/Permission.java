package dev.crate.server.domain;

/** What a grant allows in one environment. */
public enum Permission {
    READ,
    WRITE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
