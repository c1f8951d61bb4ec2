package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Presentation metadata of a tag: {@code color} as {@code #rrggbb}, free-text {@code description}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TagMetadata(String color, String description) {}
