package dev.crate.server.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented as an API key. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {
    private final String token;

    public ApiKeyAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[REDACTED]";
    }
}
