package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** An environment of an org; {@code builtin} ones ({@code dev}, {@code staging}, {@code prod}) always exist. */
public record Environment(
        String name,
        boolean builtin,
        @JsonProperty("created_at") OffsetDateTime createdAt) {}
