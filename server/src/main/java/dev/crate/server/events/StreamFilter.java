package dev.crate.server.events;

import java.util.List;
import java.util.Optional;

/**
 * Which changes a stream asks for: one environment or all the caller may see, secrets carrying every tag
 * in {@code tags} (as list filters), and only {@code names} when given.
 */
public record StreamFilter(Optional<String> environment, List<String> tags, Optional<List<String>> names) {

    boolean matches(SecretEvent event) {
        if (environment.isPresent() && !environment.get().equals(event.environment())) {
            return false;
        }
        if (names.isPresent() && !names.get().contains(event.name())) {
            return false;
        }
        return event.tags().containsAll(tags);
    }
}
