package dev.crate.server.api.grpc;

import dev.crate.server.api.grpc.v1.DeleteTagRequest;
import dev.crate.server.api.grpc.v1.DeleteTagResponse;
import dev.crate.server.api.grpc.v1.ListTagsRequest;
import dev.crate.server.api.grpc.v1.ListTagsResponse;
import dev.crate.server.api.grpc.v1.PutTagRequest;
import dev.crate.server.api.grpc.v1.Tag;
import dev.crate.server.api.grpc.v1.TagsService;
import dev.crate.server.secrets.TagService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** {@code crate.secrets.v1.TagsService}: a thin adapter over {@link TagService}, like {@code TagsResource}. */
@GrpcService
public class TagsGrpcService implements TagsService {
    private final TagService tags;
    private final GrpcCallers callers;

    TagsGrpcService(TagService tags, GrpcCallers callers) {
        this.tags = tags;
        this.callers = callers;
    }

    @Override
    public Uni<ListTagsResponse> listTags(ListTagsRequest request) {
        return callers.current()
                .chain(caller -> tags.list(caller, request.getOrganizationId()))
                .map(list -> ListTagsResponse.newBuilder()
                        .addAllTags(list.tags().stream().map(GrpcMessages::tag).toList())
                        .build());
    }

    @Override
    public Uni<Tag> putTag(PutTagRequest request) {
        return callers.current()
                .chain(caller -> tags.put(
                        caller,
                        request.getOrganizationId(),
                        request.getName(),
                        GrpcMessages.tagMetadata(request.getMetadata())))
                .map(GrpcMessages::tag);
    }

    @Override
    public Uni<DeleteTagResponse> deleteTag(DeleteTagRequest request) {
        return callers.current()
                .chain(caller -> tags.delete(caller, request.getOrganizationId(), request.getName()))
                .replaceWith(DeleteTagResponse.getDefaultInstance());
    }
}
