package dev.crate.cli.live;

import dev.crate.protocol.wire.SecretChange;
import java.util.Collection;
import java.util.List;

/**
 * Which secrets a {@code crate run --watch} or {@code crate agent} follows: one environment, optionally only
 * secrets carrying all of some tags, optionally only some names. The server filters the stream the same way;
 * this check keeps a client correct against a server that sends more.
 */
public record Selection(String environment, List<String> tags, List<String> names) {
    public Selection {
        tags = tags == null ? List.of() : List.copyOf(tags);
        names = names == null ? null : List.copyOf(names);
    }

    /** Whether the event may change what the client holds, given the names it holds now. */
    public boolean concerns(SecretChange event, Collection<String> held) {
        if (event.environment() != null && !event.environment().equals(environment)) {
            return false;
        }
        if (held.contains(event.name())) {
            return true;
        }
        return (names == null || names.contains(event.name()))
                && (event.tags() == null ? List.<String>of() : event.tags()).containsAll(tags);
    }
}
