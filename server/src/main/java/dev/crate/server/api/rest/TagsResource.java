package dev.crate.server.api.rest;

import dev.crate.protocol.wire.TagList;
import dev.crate.protocol.wire.TagMetadata;
import dev.crate.server.secrets.TagService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/organization/{id}/tags")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tags", description = "The tag catalog of an organization, with presentation metadata")
public class TagsResource {
    private final TagService tags;
    private final SecurityIdentity identity;

    TagsResource(TagService tags, SecurityIdentity identity) {
        this.tags = tags;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "listTags",
            summary = "List tags",
            description = "The organization's tag catalog with metadata.")
    public Uni<TagList> list(@PathParam("id") String orgId) {
        return tags.list(Callers.of(identity), orgId);
    }

    @PUT
    @Path("/{name}")
    @Operation(
            operationId = "putTag",
            summary = "Create a tag or set its metadata",
            description = "Body: color (#rrggbb) and description.")
    public Uni<dev.crate.protocol.wire.Tag> put(
            @PathParam("id") String orgId, @PathParam("name") String name, TagMetadata metadata) {
        return tags.put(Callers.of(identity), orgId, name, metadata);
    }

    @DELETE
    @Path("/{name}")
    @Operation(
            operationId = "deleteTag",
            summary = "Delete an unused tag",
            description = "409 tag_in_use while a secret carries the tag.")
    public Uni<Void> delete(@PathParam("id") String orgId, @PathParam("name") String name) {
        return tags.delete(Callers.of(identity), orgId, name);
    }
}
