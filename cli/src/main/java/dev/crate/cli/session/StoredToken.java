package dev.crate.cli.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A credential kept for one server: an API key ({@code kind=api_key}) or an OIDC access token with
 * its refresh token and where to refresh it ({@code kind=oidc}). Redacts itself in {@link #toString()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredToken(
        String kind,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("client_id") String clientId) {

    public static final String API_KEY = "api_key";
    public static final String OIDC = "oidc";

    public static StoredToken apiKey(String key) {
        return new StoredToken(API_KEY, key, null, null, null, null);
    }

    /** True when the access token expires within the next 30 seconds. */
    public boolean expiresSoon(Instant now) {
        return expiresAt != null && now.plusSeconds(30).isAfter(expiresAt);
    }

    @Override
    public String toString() {
        return "StoredToken[kind=" + kind + ", access_token=REDACTED, expires_at=" + expiresAt + "]";
    }
}
