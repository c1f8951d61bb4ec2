package dev.crate.cli.client;

import dev.crate.protocol.wire.CreateEnvironmentRequest;
import dev.crate.protocol.wire.Environment;
import dev.crate.protocol.wire.EnvironmentList;
import java.util.List;

/** The environments of one organization. */
public final class EnvironmentsClient {
    private final CrateClient client;
    private final String path;

    public EnvironmentsClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/environments";
    }

    public List<Environment> list() {
        EnvironmentList list = client.get(path, EnvironmentList.class);
        return list.environments() == null ? List.of() : list.environments();
    }

    public Environment create(String name) {
        return client.send("POST", path, new CreateEnvironmentRequest(name), Environment.class);
    }
}
