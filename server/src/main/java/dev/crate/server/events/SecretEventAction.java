package dev.crate.server.events;

/** What happened to a secret, as the stream and the {@code secret_events.action} column name it. */
public enum SecretEventAction {
    STORED("stored"),
    DELETED("deleted"),
    RESTORED("restored"),
    ROLLED_BACK("rolled_back"),
    PURGED("purged");

    private final String wire;

    SecretEventAction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
