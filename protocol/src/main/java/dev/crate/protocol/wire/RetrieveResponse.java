package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A JWE compact serialization encrypted to the client's temporary key; its plaintext is a {@link RetrievedPayload}.
 * {@code next}, outside the JWE because it is a secret's name and never a value, is the {@code after} of the
 * next page of a retrieve without {@code names}; absent on the last page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrieveResponse(
        @JsonProperty("sealed_payload") String sealedPayload, String next) {

    public RetrieveResponse(String sealedPayload) {
        this(sealedPayload, null);
    }
}
