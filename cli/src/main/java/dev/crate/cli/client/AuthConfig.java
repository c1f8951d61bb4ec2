package dev.crate.cli.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /auth/config}: whether the server has an identity provider and how to log in to it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthConfig(
        @JsonProperty("oidc_enabled") boolean oidcEnabled,
        String issuer,
        @JsonProperty("device_authorization_endpoint") String deviceAuthorizationEndpoint,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("client_id") String clientId,
        List<String> scopes) {

    public List<String> scopes() {
        return scopes == null || scopes.isEmpty() ? List.of("openid", "profile", "email", "offline_access") : scopes;
    }
}
