package dev.crate.protocol.wire;

import java.util.List;

public record EnvironmentList(List<Environment> environments) {}
