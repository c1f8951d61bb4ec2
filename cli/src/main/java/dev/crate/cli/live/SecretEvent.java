package dev.crate.cli.live;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One change of the event stream (docs/API.md): which secret, which version, what happened; never a value. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SecretEvent(
        String name, String environment, Integer version, String action, List<String> tags, String at) {
    public SecretEvent {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
