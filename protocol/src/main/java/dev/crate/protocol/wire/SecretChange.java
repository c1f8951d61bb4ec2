package dev.crate.protocol.wire;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One change in the secret change stream (the {@code data} of an SSE {@code change} event, docs/API.md
 * section 5b): which secret, which version, what happened and when. This type cannot hold a value.
 *
 * @param action {@code stored}, {@code deleted}, {@code restored}, {@code rolled_back} or {@code purged}
 * @param tags the secret's tags at the time of the change
 */
public record SecretChange(
        String name, String environment, int version, String action, List<String> tags, OffsetDateTime at) {}
