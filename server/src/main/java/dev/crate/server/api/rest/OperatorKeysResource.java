package dev.crate.server.api.rest;

import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.RootKeyStatus;
import dev.crate.server.keys.rotation.KeyRotationService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/operator/keys/root")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "keys")
public class OperatorKeysResource {
    private final KeyRotationService rotation;
    private final SecurityIdentity identity;

    OperatorKeysResource(KeyRotationService rotation, SecurityIdentity identity) {
        this.rotation = rotation;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "getRootKeyStatus",
            summary = "Root key status",
            description =
                    "The active root key, every root kid still wrapping org keys, configured previous keys that are no "
                            + "longer needed, and the root re-wrap progress. Operator only (an admin of organization 'default').")
    public Uni<RootKeyStatus> status() {
        return rotation.rootStatus(Callers.of(identity));
    }

    @POST
    @Path("/rotate")
    @ResponseStatus(202)
    @Operation(
            operationId = "rotateRootKey",
            summary = "Re-wrap org keys under the active root key",
            description =
                    "After configuring a new root key (CRATE_ROOT_KEY) with the old one in CRATE_ROOT_KEY_PREVIOUS on "
                            + "every replica: re-wraps every org key under the new key in the background (O(org keys), independent of "
                            + "the number of secrets). Operator only.")
    public Uni<KeyRotation> rotate() {
        return rotation.rotateRoot(Callers.of(identity));
    }
}
