package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** A successful exchange: the Crate access token (shown once), its lifetime and the binding that matched. */
public record WorkloadTokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("issued_token_type") String issuedTokenType,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        UUID binding) {
    public static final String ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    @Override
    public String toString() {
        return "WorkloadTokenResponse[access_token=REDACTED, expires_in=" + expiresIn + ", binding=" + binding + "]";
    }
}
