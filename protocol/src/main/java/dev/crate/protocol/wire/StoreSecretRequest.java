package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code PUT /organization/{id}/secrets}. {@code encrypted_value} is sealed to the org's transport
 * key (base64 RSA-OAEP-256 or a JWE compact serialization); {@code tags} null keeps the current tags.
 * {@code expected_version}, when given, makes the store a check-and-set: it succeeds only while the
 * secret's current version is that one (0: the secret has never been stored), else 409 {@code version_conflict}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoreSecretRequest(
        String name,
        String environment,
        @JsonProperty("encrypted_value") String encryptedValue,
        Boolean sealed,
        List<String> tags,
        @JsonProperty("expected_version") Integer expectedVersion) {

    public StoreSecretRequest(
            String name, String environment, String encryptedValue, Boolean sealed, List<String> tags) {
        this(name, environment, encryptedValue, sealed, tags, null);
    }

    @Override
    public String toString() {
        return "StoreSecretRequest[name=" + name + ", environment=" + environment
                + ", encrypted_value=REDACTED, sealed=" + sealed + ", tags=" + tags + ", expected_version="
                + expectedVersion + "]";
    }
}
