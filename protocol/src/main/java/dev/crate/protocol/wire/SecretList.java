package dev.crate.protocol.wire;

import java.util.List;

public record SecretList(List<SecretMetadata> secrets) {}
