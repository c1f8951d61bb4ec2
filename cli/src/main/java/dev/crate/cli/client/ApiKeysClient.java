package dev.crate.cli.client;

import dev.crate.protocol.wire.ApiKey;
import dev.crate.protocol.wire.ApiKeyList;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import java.util.List;

/** The API keys of one organization; the secret part of a key is seen once, in {@link #create}'s answer. */
public final class ApiKeysClient {
    private final CrateClient client;
    private final String path;

    public ApiKeysClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/api-keys";
    }

    public List<ApiKey> list() {
        ApiKeyList list = client.get(path, ApiKeyList.class);
        return list.apiKeys() == null ? List.of() : list.apiKeys();
    }

    public CreatedApiKey create(CreateApiKeyRequest request) {
        return client.send("POST", path, request, CreatedApiKey.class);
    }

    public void revoke(String id) {
        client.send("DELETE", path + "/" + Query.segment(id), null, Void.class);
    }
}
