package dev.crate.cli.client;

import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.RotateKeysRequest;

/** Key status and rotation of one organization (admins). */
public final class KeysClient {
    private final CrateClient client;
    private final String path;

    public KeysClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/keys";
    }

    public KeyStatus status() {
        return client.get(path, KeyStatus.class);
    }

    /** {@code tier} is {@code org} or {@code transport}. */
    public KeyRotation rotate(String tier) {
        return client.send("POST", path + "/rotate", new RotateKeysRequest(tier), KeyRotation.class);
    }
}
