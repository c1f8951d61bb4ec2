package dev.crate.protocol.wire;

import java.util.List;

/** The plaintext inside a retrieve answer's JWE. */
public record RetrievedPayload(String environment, List<RetrievedSecret> secrets, List<String> missing) {}
