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
 * temporary key, holding the secrets the test gives it.
 */
final class StubServer implements AutoCloseable {
    static final String ORG = "00000000-0000-4000-8000-0000000000a1";

    record Request(String method, String path, String authorization) {}

    private final HttpServer http;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> secrets = new TreeMap<>();

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
            return "{\"sealed_payload\":\"" + seal(body) + "\"}";
        }
        if (path.endsWith("/secrets")) {
            return "{\"secrets\":[]}";
        }
        return "{}";
    }

    @SuppressWarnings("unchecked")
    private String seal(byte[] request) {
        try {
            JsonNode jwk = Json.MAPPER.readTree(request).path("client_public_jwk");
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
