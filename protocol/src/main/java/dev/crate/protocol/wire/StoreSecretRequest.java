package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code PUT /organization/{id}/secrets}. {@code encrypted_value} is sealed to the org's transport
 * key (base64 RSA-OAEP-256 or a JWE compact serialization); {@code tags} null keeps the current tags.
 */
public record StoreSecretRequest(
        String name,
        String environment,
        @JsonProperty("encrypted_value") String encryptedValue,
        Boolean sealed,
        List<String> tags) {

    @Override
    public String toString() {
        return "StoreSecretRequest[name=" + name + ", environment=" + environment
                + ", encrypted_value=REDACTED, sealed=" + sealed + ", tags=" + tags + "]";
    }
}
