package dev.crate.cli.client;

import dev.crate.protocol.wire.Tag;
import dev.crate.protocol.wire.TagList;
import java.util.List;

/** The tag catalog of one organization. */
public final class TagsClient {
    private final CrateClient client;
    private final String path;

    public TagsClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/tags";
    }

    public List<Tag> list() {
        TagList list = client.get(path, TagList.class);
        return list.tags() == null ? List.of() : list.tags();
    }
}
