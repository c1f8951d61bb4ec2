package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A JWE compact serialization encrypted to the client's temporary key; its plaintext is a {@link RetrievedPayload}. */
public record RetrieveResponse(
        @JsonProperty("sealed_payload") String sealedPayload) {}
