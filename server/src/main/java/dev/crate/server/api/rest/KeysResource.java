package dev.crate.server.api.rest;

import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.RotateKeysRequest;
import dev.crate.server.keys.rotation.KeyRotationService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/organization/{id}/keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "keys", description = "Key status and rotation: org keys, transport keys, and (operator) the root key")
public class KeysResource {
    private final KeyRotationService rotation;
    private final SecurityIdentity identity;

    KeysResource(KeyRotationService rotation, SecurityIdentity identity) {
        this.rotation = rotation;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "getKeyStatus",
            summary = "Key status",
            description =
                    "Org key versions (active, retiring, retired) with wrap counts, transport keys (active, grace, "
                            + "disabled), last and next scheduled rotation, re-wrap progress and recent rotations. Admin only.")
    public Uni<KeyStatus> status(@PathParam("id") String orgId) {
        return rotation.status(Callers.of(identity), orgId);
    }

    @POST
    @Path("/rotate")
    @ResponseStatus(202)
    @Operation(
            operationId = "rotateKeys",
            summary = "Rotate a key now",
            description =
                    "tier org: a new org key version wraps new data keys at once; existing data keys are re-wrapped "
                            + "in the background (values are never re-encrypted), then the old version is destroyed. tier transport: "
                            + "a new transport key pair is published; the previous one still opens sealed values for the grace period. "
                            + "Admin only.")
    public Uni<KeyRotation> rotate(@PathParam("id") String orgId, RotateKeysRequest request) {
        return rotation.rotate(Callers.of(identity), orgId, request);
    }
}
