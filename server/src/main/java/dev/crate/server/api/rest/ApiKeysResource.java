package dev.crate.server.api.rest;

import dev.crate.protocol.wire.ApiKeyList;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import dev.crate.server.identity.ApiKeyService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/organization/{id}/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys", description = "Machine credentials of an organization: shown once, stored as hashes, revocable")
public class ApiKeysResource {
    private final ApiKeyService apiKeys;
    private final SecurityIdentity identity;

    ApiKeysResource(ApiKeyService apiKeys, SecurityIdentity identity) {
        this.apiKeys = apiKeys;
        this.identity = identity;
    }

    @POST
    @ResponseStatus(201)
    @Operation(
            operationId = "createApiKey",
            summary = "Create an API key",
            description = "Returns the key once; only its hash is kept.")
    public Uni<CreatedApiKey> create(@PathParam("id") String orgId, CreateApiKeyRequest request) {
        return apiKeys.create(Callers.of(identity), orgId, request);
    }

    @GET
    @Operation(
            operationId = "listApiKeys",
            summary = "List API keys",
            description = "Active keys without key material.")
    public Uni<ApiKeyList> list(@PathParam("id") String orgId) {
        return apiKeys.list(Callers.of(identity), orgId);
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(
            operationId = "revokeApiKey",
            summary = "Revoke an API key",
            description = "Effective on the next request.")
    public Uni<Void> revoke(@PathParam("id") String orgId, @PathParam("keyId") String keyId) {
        return apiKeys.revoke(Callers.of(identity), orgId, keyId);
    }
}
