package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /auth/config}: everything {@code crate login} needs for the device flow, and the web console
 * for the authorization code flow with PKCE (docs/API.md, section 13).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthConfig(
        @JsonProperty("oidc_enabled") boolean oidcEnabled,
        String issuer,
        @JsonProperty("device_authorization_endpoint") String deviceAuthorizationEndpoint,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("client_id") String clientId,
        List<String> scopes,
        @JsonProperty("authorization_endpoint") String authorizationEndpoint,
        @JsonProperty("console_client_id") String consoleClientId) {}
