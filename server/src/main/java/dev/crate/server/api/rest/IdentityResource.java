package dev.crate.server.api.rest;

import dev.crate.protocol.wire.AuthConfig;
import dev.crate.protocol.wire.Me;
import dev.crate.server.identity.IdentityService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "identity", description = "Who the caller is, and how a client logs in (OAuth 2.0 device flow)")
public class IdentityResource {
    private final IdentityService identityService;
    private final SecurityIdentity identity;

    IdentityResource(IdentityService identityService, SecurityIdentity identity) {
        this.identityService = identityService;
        this.identity = identity;
    }

    @GET
    @Path("me")
    @Authenticated
    @Operation(
            operationId = "getMe",
            summary = "Who am I",
            description = "The caller (user or API key) and its organizations with roles.")
    public Uni<Me> me() {
        return identityService.me(Callers.of(identity));
    }

    @GET
    @Path("auth/config")
    @PermitAll
    @Operation(
            operationId = "getAuthConfig",
            summary = "Login configuration",
            description =
                    "Issuer, device authorization and token endpoints, client id and "
                            + "scopes for the OAuth 2.0 device flow (RFC 8628); oidc_enabled false when the server takes API keys only.")
    public Uni<AuthConfig> authConfig() {
        return identityService.authConfig();
    }
}
