package dev.crate.server.api.rest;

import dev.crate.protocol.wire.AddMemberRequest;
import dev.crate.protocol.wire.Member;
import dev.crate.protocol.wire.MemberList;
import dev.crate.protocol.wire.UpdateMemberRequest;
import dev.crate.server.identity.MemberService;
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

@Path("/organization/{id}/members")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "members", description = "People of an organization: roles and per-environment grants")
public class MembersResource {
    private final MemberService members;
    private final SecurityIdentity identity;

    MembersResource(MemberService members, SecurityIdentity identity) {
        this.members = members;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "listMembers",
            summary = "List members",
            description = "Members with role and per-environment grants. Admins only.")
    public Uni<MemberList> list(@PathParam("id") String orgId) {
        return members.list(Callers.of(identity), orgId);
    }

    @POST
    @ResponseStatus(201)
    @Operation(
            operationId = "addMember",
            summary = "Add a member",
            description = "By email (bound at first login with that verified email) or subject.")
    public Uni<Member> add(@PathParam("id") String orgId, AddMemberRequest request) {
        return members.add(Callers.of(identity), orgId, request);
    }

    @PATCH
    @Path("/{memberId}")
    @Operation(
            operationId = "updateMember",
            summary = "Change a member's role or grants",
            description = "Effective on the member's next request; the last admin stays.")
    public Uni<Member> update(
            @PathParam("id") String orgId, @PathParam("memberId") String memberId, UpdateMemberRequest request) {
        return members.update(Callers.of(identity), orgId, memberId, request);
    }

    @DELETE
    @Path("/{memberId}")
    @Operation(
            operationId = "removeMember",
            summary = "Remove a member",
            description = "409 last_admin for the organization's last admin.")
    public Uni<Void> remove(@PathParam("id") String orgId, @PathParam("memberId") String memberId) {
        return members.remove(Callers.of(identity), orgId, memberId);
    }
}
