package dev.crate.server.workload;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented as a workload token. */
public final class WorkloadAuthenticationRequest extends BaseAuthenticationRequest {
    private final String token;

    WorkloadAuthenticationRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "WorkloadAuthenticationRequest[REDACTED]";
    }
}
