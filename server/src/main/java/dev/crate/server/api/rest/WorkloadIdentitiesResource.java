package dev.crate.server.api.rest;

import dev.crate.server.workload.WorkloadIdentity;
import dev.crate.server.workload.WorkloadIdentityList;
import dev.crate.server.workload.WorkloadIdentityRequest;
import dev.crate.server.workload.WorkloadIdentityService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/organization/{id}/workload-identities")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(
        name = "workload-identities",
        description = "Bindings that let pipelines and pods exchange their platform's token for a short-lived one")
public class WorkloadIdentitiesResource {
    private final WorkloadIdentityService service;
    private final SecurityIdentity identity;

    WorkloadIdentitiesResource(WorkloadIdentityService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @ResponseStatus(201)
    @Operation(
            operationId = "createWorkloadIdentity",
            summary = "Bind a workload identity",
            description =
                    "Which tokens of an issuer may be exchanged, and the scope they get. Admin; never wider than the caller.")
    public Uni<WorkloadIdentity> create(@PathParam("id") String orgId, WorkloadIdentityRequest request) {
        return service.create(Callers.of(identity), orgId, request);
    }

    @GET
    @Operation(
            operationId = "listWorkloadIdentities",
            summary = "List workload identities",
            description = "Oldest first: the order the exchange tries them in. Admin.")
    public Uni<WorkloadIdentityList> list(@PathParam("id") String orgId) {
        return service.list(Callers.of(identity), orgId);
    }

    @GET
    @Path("/{bindingId}")
    @Operation(operationId = "getWorkloadIdentity", summary = "Get a workload identity", description = "Admin.")
    public Uni<WorkloadIdentity> get(@PathParam("id") String orgId, @PathParam("bindingId") String bindingId) {
        return service.get(Callers.of(identity), orgId, bindingId);
    }

    @PATCH
    @Path("/{bindingId}")
    @Operation(
            operationId = "updateWorkloadIdentity",
            summary = "Change a workload identity",
            description = "The fields given replace the stored ones; effective on the next request of its tokens.")
    public Uni<WorkloadIdentity> update(
            @PathParam("id") String orgId, @PathParam("bindingId") String bindingId, WorkloadIdentityRequest request) {
        return service.update(Callers.of(identity), orgId, bindingId, request);
    }

    @DELETE
    @Path("/{bindingId}")
    @Operation(
            operationId = "deleteWorkloadIdentity",
            summary = "Delete a workload identity",
            description = "Its tokens stop working on their next request.")
    public Uni<Void> delete(@PathParam("id") String orgId, @PathParam("bindingId") String bindingId) {
        return service.delete(Callers.of(identity), orgId, bindingId);
    }
}
