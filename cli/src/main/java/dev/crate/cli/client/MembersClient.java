package dev.crate.cli.client;

import dev.crate.protocol.wire.AddMemberRequest;
import dev.crate.protocol.wire.Member;
import dev.crate.protocol.wire.MemberList;
import dev.crate.protocol.wire.UpdateMemberRequest;
import java.util.List;
import java.util.function.Supplier;

/** The members of one organization, with their roles and per-environment grants. */
public final class MembersClient {
    private final CrateClient client;
    private final String path;

    public MembersClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/members";
    }

    public List<Member> list() {
        MemberList list = call(() -> client.get(path, MemberList.class));
        return list.members() == null ? List.of() : list.members();
    }

    public Member add(AddMemberRequest request) {
        return call(() -> client.send("POST", path, request, Member.class));
    }

    public Member update(String id, UpdateMemberRequest request) {
        return call(() -> client.send("PATCH", path + "/" + Query.segment(id), request, Member.class));
    }

    public void remove(String id) {
        call(() -> client.send("DELETE", path + "/" + Query.segment(id), null, Void.class));
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ApiException.NotFound e) {
            throw ErrorTable.missingEndpoint(e, "members");
        }
    }
}
