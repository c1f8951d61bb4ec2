package dev.crate.protocol.wire;

import java.util.List;

public record TagList(List<Tag> tags) {}
