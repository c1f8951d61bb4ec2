package dev.crate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKey;

/**
 * A real HTTP listener on loopback standing in for a Crate server: it records every request that reaches it
 * (method, path, {@code Authorization} header) and answers the few calls of {@code login --token},
 * {@code secrets list} and {@code run} in the server's shapes, the retrieval as a real JWE sealed to the request's
 * temporary key, holding the secrets the test gives it; with {@link #pageSize} set, a retrieve without names
 * answers pages of that many, with {@code next}, as the server does (docs/API.md, section 5).
 */
final class StubServer implements AutoCloseable {
    static final String ORG = "00000000-0000-4000-8000-0000000000a1";

    record Request(String method, String path, String authorization) {}

    private final HttpServer http;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final TreeMap<String, String> secrets = new TreeMap<>();
    /** The retrieve bodies received (each holds a temporary public key only). */
    final List<JsonNode> retrieves = new CopyOnWriteArrayList<>();
    /** Secrets per page of a retrieve without names; 0: all in one answer. */
    volatile int pageSize;

    StubServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path,
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] answer = answer(exchange.getRequestMethod(), path, body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /**
     * The environment of a {@code crate} run against this server with a key in {@code CRATE_TOKEN}: this
     * process's environment without any CRATE_* or XDG_* variable, {@code home} as HOME and config home.
     */
    Map<String, String> cliEnv(java.nio.file.Path home) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("CRATE_") || k.startsWith("XDG_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("CRATE_SERVER", url());
        env.put("CRATE_TOKEN", "crate_test");
        env.put("CRATE_ORG", ORG);
        return env;
    }

    private String answer(String method, String path, byte[] body) {
        if (path.equals("/organizations")) {
            return "{\"organizations\":[{\"id\":\"" + ORG
                    + "\",\"name\":\"stub\",\"created_at\":\"2026-12-05T12:00:00Z\"}]}";
        }
        if (path.equals("/me")) {
            return "{\"kind\":\"api_key\",\"name\":\"stub\",\"organizations\":[{\"id\":\"" + ORG
                    + "\",\"name\":\"stub\",\"role\":\"admin\"}]}";
        }
        if (method.equals("POST") && path.endsWith("/secrets/retrieve")) {
            return retrieve(body);
        }
        if (path.endsWith("/secrets")) {
            return "{\"secrets\":[]}";
        }
        return "{}";
    }

    private String retrieve(byte[] body) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("stub server got no JSON", e);
        }
        retrieves.add(request);
        TreeMap<String, String> page = new TreeMap<>(secrets);
        if (request.has("names")) {
            java.util.Set<String> asked = new java.util.HashSet<>();
            request.get("names").forEach(n -> asked.add(n.asText()));
            page.keySet().retainAll(asked);
        }
        String next = null;
        if (pageSize > 0 && !request.has("names")) {
            if (request.hasNonNull("after")) {
                page = new TreeMap<>(secrets.tailMap(request.get("after").asText(), false));
            }
            if (page.size() > pageSize) {
                List<String> names = List.copyOf(page.keySet());
                next = names.get(pageSize - 1);
                page = new TreeMap<>(page.headMap(next, true));
            }
        }
        return "{\"sealed_payload\":\"" + seal(request, page) + "\""
                + (next == null ? "" : ",\"next\":\"" + next + "\"") + "}";
    }

    @SuppressWarnings("unchecked")
    private String seal(JsonNode request, Map<String, String> secrets) {
        try {
            JsonNode jwk = request.path("client_public_jwk");
            var list = Json.MAPPER.createArrayNode();
            secrets.forEach((name, value) -> list.addObject()
                    .put("name", name)
                    .put("value", value)
                    .put("version", 1)
                    .putArray("tags"));
            var payload = Json.MAPPER.createObjectNode().put("environment", "dev");
            payload.set("secrets", list);
            payload.putArray("missing");
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.ECDH_ES);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKey(JsonWebKey.Factory.newJwk(Json.MAPPER.convertValue(jwk, Map.class))
                    .getKey());
            jwe.setPlaintext(Json.MAPPER.writeValueAsString(payload));
            return jwe.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException("stub server cannot seal", e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
