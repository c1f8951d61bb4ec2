package dev.crate.cli.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A credential kept for one server: an API key ({@code kind=api_key}), an OIDC access token with
 * its refresh token and where to refresh it ({@code kind=oidc}), or a Crate token from a workload token
 * with the file to read the next workload token from and the organization ({@code kind=workload}; the
 * platform's token itself is never kept). Redacts itself in {@link #toString()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredToken(
        String kind,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("token_file") String tokenFile,
        @JsonProperty("organization") String organization) {

    public static final String API_KEY = "api_key";
    public static final String OIDC = "oidc";
    public static final String WORKLOAD = "workload";

    /** A Crate token from {@code crate login --workload-token-file}: renewed from {@code tokenFile} when it expires. */
    public static StoredToken workload(String accessToken, Instant expiresAt, String tokenFile, String organization) {
        return new StoredToken(WORKLOAD, accessToken, null, expiresAt, null, null, tokenFile, organization);
    }

    public static StoredToken apiKey(String key) {
        return new StoredToken(API_KEY, key, null, null, null, null, null, null);
    }

    /** True when the access token expires within the next 30 seconds (a workload token with no expiry: always). */
    public boolean expiresSoon(Instant now) {
        if (expiresAt == null) {
            return WORKLOAD.equals(kind);
        }
        return now.plusSeconds(30).isAfter(expiresAt);
    }

    @Override
    public String toString() {
        return "StoredToken[kind=" + kind + ", access_token=REDACTED, expires_at=" + expiresAt
                + (tokenFile == null ? "" : ", token_file=" + tokenFile) + "]";
    }
}
