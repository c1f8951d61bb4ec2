package dev.crate.server.events;

/** What a change stream sends: a change, a reset (re-fetch everything), or a heartbeat. */
public sealed interface StreamItem {

    /** A change the caller may see. */
    record Change(SecretEvent event) implements StreamItem {}

    /**
     * The stream cannot say what changed since the client's last event id (older than the retention
     * window, or unknown here): the client fetches everything again. {@code position} is the event id to
     * resume from afterwards.
     */
    record Reset(String reason, long position) implements StreamItem {}

    /**
     * Sent first when the client gave no last event id: the position it would resume from if the stream
     * dropped before any change.
     */
    record Position(long position) implements StreamItem {}

    /** Nothing happened; keeps proxies from closing an idle stream. */
    record Heartbeat() implements StreamItem {}
}
