package dev.crate.server.api.rest;

import dev.crate.protocol.wire.CreateEnvironmentRequest;
import dev.crate.protocol.wire.Environment;
import dev.crate.protocol.wire.EnvironmentList;
import dev.crate.server.organizations.EnvironmentService;
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

@Path("/organization/{id}/environments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "environments", description = "Environments of an organization: dev, staging, prod and custom ones")
public class EnvironmentsResource {
    private final EnvironmentService environments;
    private final SecurityIdentity identity;

    EnvironmentsResource(EnvironmentService environments, SecurityIdentity identity) {
        this.environments = environments;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "listEnvironments",
            summary = "List environments",
            description = "dev, staging and prod always exist.")
    public Uni<EnvironmentList> list(@PathParam("id") String orgId) {
        return environments.list(Callers.of(identity), orgId);
    }

    @POST
    @ResponseStatus(201)
    @Operation(
            operationId = "createEnvironment",
            summary = "Create an environment",
            description = "Name: lowercase letters, digits and '-', at most 32 characters.")
    public Uni<Environment> create(@PathParam("id") String orgId, CreateEnvironmentRequest request) {
        return environments.create(Callers.of(identity), orgId, request);
    }
}
