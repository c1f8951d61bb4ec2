package dev.crate.cli.client;

import dev.crate.protocol.Limits;
import dev.crate.protocol.sealing.Destination;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RollbackRequest;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.SecretVersionList;
import dev.crate.protocol.wire.StoreSecretRequest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets endpoints of one organization. Values leave only sealed (a JWE to the org's transport
 * key, any size, bound to its org, environment and name) and come back only inside a JWE to a temporary EC P-256 key made for that one call.
 */
public final class SecretsClient {
    private final CrateClient client;
    private final String path;
    private final String orgId;
    private PublicKey orgKey;
    private String kid;

    public SecretsClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/secrets";
        this.orgId = orgId;
    }

    public SecretMetadata store(String name, String environment, String value, List<String> tags) {
        loadKey();
        // Bound to its destination (docs/API.md, section 6): the server refuses it anywhere else.
        String env = environment == null || environment.isEmpty() ? Limits.DEFAULT_ENVIRONMENT : environment;
        String sealed =
                Sealing.sealJwe(orgKey, kid, new Destination(orgId, env, name), value.getBytes(StandardCharsets.UTF_8));
        return client.send(
                "PUT", path, new StoreSecretRequest(name, environment, sealed, true, tags), SecretMetadata.class);
    }

    /** The environment's secrets (metadata only); read without Jackson (the lean path). */
    public List<SecretMetadata> list(String environment, List<String> tags) {
        Object answer = client.sendLean(
                "GET",
                Query.path(path).param("env", environment).param("tags", tags).toString(),
                null);
        List<SecretMetadata> secrets;
        try {
            secrets = LeanWire.secretList(answer);
        } catch (LeanJson.MalformedException e) {
            throw CrateClient.unexpectedShape();
        }
        return secrets == null ? List.of() : secrets;
    }

    /** One sealed retrieval; {@code names} or {@code tags} null means no such filter. */
    public RetrievedPayload retrieve(String environment, List<String> names, List<String> tags) {
        dev.crate.cli.Timing.mark("context resolved");
        SealedAnswer key = SealedAnswer.generate();
        dev.crate.cli.Timing.mark("temporary key made");
        // a RetrieveRequest as Jackson writes it (null fields left out), without Jackson (the lean path)
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("environment", environment);
        if (names != null) {
            request.put("names", names);
        }
        if (tags != null && !tags.isEmpty()) {
            request.put("tags", tags);
        }
        request.put("client_public_jwk", key.publicJwk());
        String sealed;
        try {
            sealed = LeanWire.sealedPayload(client.sendLean("POST", path + "/retrieve", request));
        } catch (LeanJson.MalformedException e) {
            throw CrateClient.unexpectedShape();
        }
        dev.crate.cli.Timing.mark("server answered");
        try {
            return LeanWire.payload(LeanJson.parse(new String(key.open(sealed), StandardCharsets.UTF_8)));
        } catch (LeanJson.MalformedException | IllegalArgumentException | NullPointerException e) {
            throw new CliException("the server's sealed answer could not be opened");
        }
    }

    public SecretVersionList history(String name, String environment) {
        return client.get(
                Query.path(secret(name) + "/versions").param("env", environment).toString(), SecretVersionList.class);
    }

    public SecretMetadata rollback(String name, String environment, int version) {
        return client.send(
                "POST",
                Query.path(secret(name) + "/rollback").param("env", environment).toString(),
                new RollbackRequest(version),
                SecretMetadata.class);
    }

    public void delete(String name, String environment) {
        client.send("DELETE", Query.path(secret(name)).param("env", environment).toString(), null, Void.class);
    }

    private String secret(String name) {
        return path + "/" + Query.segment(name);
    }

    private void loadKey() {
        if (orgKey == null) {
            PublicKeyResponse answer = client.get(path + "/public-key", PublicKeyResponse.class);
            try {
                orgKey = Pem.decode(answer.publicKeyPem(), "RSA");
            } catch (IllegalArgumentException e) {
                throw new CliException("the organization's public key is not a valid RSA key");
            }
            kid = answer.kid();
        }
    }
}
