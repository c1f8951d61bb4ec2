package dev.crate.cli.client;

import dev.crate.protocol.Limits;
import dev.crate.protocol.sealing.Destination;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.protocol.wire.RollbackRequest;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.SecretVersionList;
import dev.crate.protocol.wire.StoreSecretRequest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
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

    /**
     * The values asked for, sealed to one temporary key; {@code names} or {@code tags} null means no such
     * filter. Without names the server answers a page at a time (docs/API.md, section 5): this asks for
     * page after page until one has no {@code next}, and answers them all as one payload. More names than
     * one request may hold are asked for in parts.
     */
    public RetrievedPayload retrieve(String environment, List<String> names, List<String> tags) {
        dev.crate.cli.Timing.mark("context resolved");
        SealedAnswer key = SealedAnswer.generate();
        dev.crate.cli.Timing.mark("temporary key made");
        if (names != null && names.size() > Limits.RETRIEVE_NAMES_PER_REQUEST) {
            List<RetrievedPayload> parts = new ArrayList<>();
            for (int from = 0; from < names.size(); from += Limits.RETRIEVE_NAMES_PER_REQUEST) {
                List<String> part =
                        names.subList(from, Math.min(names.size(), from + Limits.RETRIEVE_NAMES_PER_REQUEST));
                parts.add(retrievePage(key, environment, part, tags, null).payload());
            }
            return joined(parts);
        }
        Page page = retrievePage(key, environment, names, tags, null);
        if (page.next() == null) {
            return page.payload();
        }
        List<RetrievedPayload> pages = new ArrayList<>(List.of(page.payload()));
        while (page.next() != null) {
            String after = page.next();
            page = retrievePage(key, environment, null, tags, after);
            if (page.next() != null && page.next().compareTo(after) <= 0) {
                // names grow page by page (byte order); a server that says otherwise would loop forever
                throw CrateClient.unexpectedShape();
            }
            pages.add(page.payload());
        }
        return joined(pages);
    }

    /** One answer of the retrieve route, opened, and where the next page starts (null: none). */
    private record Page(RetrievedPayload payload, String next) {}

    private Page retrievePage(
            SealedAnswer key, String environment, List<String> names, List<String> tags, String after) {
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
        if (after != null) {
            request.put("after", after);
        }
        String sealed;
        String next;
        try {
            Object answer = client.sendLean("POST", path + "/retrieve", request);
            sealed = LeanWire.sealedPayload(answer);
            next = LeanWire.next(answer);
        } catch (LeanJson.MalformedException e) {
            throw CrateClient.unexpectedShape();
        }
        dev.crate.cli.Timing.mark("server answered");
        try {
            return new Page(
                    LeanWire.payload(LeanJson.parse(new String(key.open(sealed), StandardCharsets.UTF_8))),
                    next == null || next.isEmpty() ? null : next);
        } catch (LeanJson.MalformedException | IllegalArgumentException | NullPointerException e) {
            throw new CliException("the server's sealed answer could not be opened");
        }
    }

    /** Several answers as one: their secrets and missing names in order. */
    private static RetrievedPayload joined(List<RetrievedPayload> parts) {
        List<RetrievedSecret> secrets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RetrievedPayload part : parts) {
            if (part.secrets() != null) {
                secrets.addAll(part.secrets());
            }
            if (part.missing() != null) {
                missing.addAll(part.missing());
            }
        }
        return new RetrievedPayload(parts.get(0).environment(), secrets, missing);
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
