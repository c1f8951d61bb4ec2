package dev.crate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * An OpenID issuer shaped like a Kubernetes API server's service-account issuer, on 127.0.0.1: discovery at
 * {@code /.well-known/openid-configuration}, keys at {@code /openid/v1/jwks}, and projected service-account
 * tokens signed RS256 with a key made here, with the claims a kubelet's projected token carries.
 */
final class KubernetesIssuer implements AutoCloseable {
    final String url;
    private final HttpServer http;
    private final KeyPair keys;
    private final String kid = UUID.randomUUID().toString();

    private KubernetesIssuer(HttpServer http, KeyPair keys) {
        this.http = http;
        this.keys = keys;
        this.url = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    static KubernetesIssuer start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        KubernetesIssuer issuer = new KubernetesIssuer(http, generator.generateKeyPair());
        http.createContext("/.well-known/openid-configuration", issuer::discovery);
        http.createContext("/openid/v1/jwks", issuer::jwks);
        http.start();
        return issuer;
    }

    private void discovery(HttpExchange exchange) throws IOException {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("issuer", url);
        doc.put("jwks_uri", url + "/openid/v1/jwks");
        doc.putArray("response_types_supported").add("id_token");
        doc.putArray("subject_types_supported").add("public");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        send(exchange, doc);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode doc = Json.MAPPER.createObjectNode();
        ObjectNode jwk = doc.putArray("keys").addObject();
        jwk.put("use", "sig");
        jwk.put("kty", "RSA");
        jwk.put("kid", kid);
        jwk.put("alg", "RS256");
        jwk.put("n", b64(unsigned(key.getModulus())));
        jwk.put("e", b64(unsigned(key.getPublicExponent())));
        send(exchange, doc);
    }

    private static void send(HttpExchange exchange, ObjectNode doc) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(doc);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A projected service-account token of {@code namespace}/{@code serviceAccount} for {@code audience}, valid 10 min. */
    String token(String namespace, String serviceAccount, String audience) throws GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.putArray("aud").add(audience);
        claims.put("exp", now + 600);
        claims.put("iat", now);
        claims.put("iss", url);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        ObjectNode node = k8s.putObject("node");
        node.put("name", "worker-1");
        node.put("uid", UUID.randomUUID().toString());
        ObjectNode pod = k8s.putObject("pod");
        pod.put("name", serviceAccount + "-7d9f8c6b5-x2k4q");
        pod.put("uid", UUID.randomUUID().toString());
        ObjectNode sa = k8s.putObject("serviceaccount");
        sa.put("name", serviceAccount);
        sa.put("uid", UUID.randomUUID().toString());
        claims.put("nbf", now);
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.put("alg", "RS256");
        header.put("kid", kid);
        String signingInput = b64(json(header)) + "." + b64(json(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(rsa.sign());
    }

    private static byte[] json(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
