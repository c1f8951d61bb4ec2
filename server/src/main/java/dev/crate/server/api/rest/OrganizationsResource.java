package dev.crate.server.api.rest;

import dev.crate.protocol.wire.CreateOrganizationRequest;
import dev.crate.protocol.wire.CreatedOrganization;
import dev.crate.protocol.wire.Organization;
import dev.crate.protocol.wire.OrganizationList;
import dev.crate.server.organizations.OrganizationService;
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

@Path("/")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "organizations", description = "Organizations: every other object belongs to exactly one")
public class OrganizationsResource {
    private final OrganizationService organizations;
    private final SecurityIdentity identity;

    OrganizationsResource(OrganizationService organizations, SecurityIdentity identity) {
        this.organizations = organizations;
        this.identity = identity;
    }

    @POST
    @Path("organizations")
    @ResponseStatus(201)
    @Operation(
            operationId = "createOrganization",
            summary = "Create an organization",
            description = "Provisions its keys and environments and returns its first admin API key once.")
    public Uni<CreatedOrganization> create(CreateOrganizationRequest request) {
        return organizations.create(Callers.of(identity), request);
    }

    @GET
    @Path("organizations")
    @Operation(
            operationId = "listOrganizations",
            summary = "List my organizations",
            description = "The organizations the caller belongs to (an API key: its own).")
    public Uni<OrganizationList> list() {
        return organizations.list(Callers.of(identity));
    }

    @GET
    @Path("organization/{id}")
    @Operation(
            operationId = "getOrganization",
            summary = "Get an organization",
            description = "Id, name and creation time. Another organization answers 404, exactly like a missing one.")
    public Uni<Organization> get(@PathParam("id") String orgId) {
        return organizations.get(Callers.of(identity), orgId);
    }
}
