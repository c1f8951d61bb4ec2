package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The exchange's input, shaped after RFC 8693 token exchange: the platform's token, its type
 * ({@code urn:ietf:params:oauth:token-type:jwt} or {@code ...:id_token}) and the organization's id.
 */
public record WorkloadTokenRequest(
        @JsonProperty("subject_token") String subjectToken,
        @JsonProperty("subject_token_type") String subjectTokenType,
        String organization) {

    @Override
    public String toString() {
        return "WorkloadTokenRequest[subject_token=REDACTED, subject_token_type=" + subjectTokenType + ", organization="
                + organization + "]";
    }
}
