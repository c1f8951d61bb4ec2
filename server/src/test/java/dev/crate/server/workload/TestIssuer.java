package dev.crate.server.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * A Kubernetes-style OIDC issuer on 127.0.0.1: a discovery document and a JWKS made by the test, and
 * tokens shaped like projected service-account tokens. It can publish new keys, hold its JWKS until released,
 * make it hang or make it too large.
 */
final class TestIssuer implements AutoCloseable {
    private final HttpServer server;
    private final List<PublicJsonWebKey> published = new ArrayList<>();
    private final AtomicInteger jwksHits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch jwksRequested = new CountDownLatch(1);
    private volatile boolean hang;
    private volatile boolean hangEnded;
    private volatile CountDownLatch hold;
    private volatile int padding;
    private volatile String discoveryIssuer;
    private volatile String jwksUri;
    final PublicJsonWebKey rsa;
    final PublicJsonWebKey ec;
    final String issuer;

    TestIssuer() throws IOException, JoseException {
        rsa = RsaJwkGenerator.generateJwk(2048);
        rsa.setKeyId("rsa-" + UUID.randomUUID());
        ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ec.setKeyId("ec-" + UUID.randomUUID());
        published.add(rsa);
        published.add(ec);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/k8s";
        discoveryIssuer = issuer;
        jwksUri = issuer + "/openid/v1/jwks";
        server.createContext(
                "/k8s/.well-known/openid-configuration",
                exchange -> respond(
                        exchange,
                        "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + jwksUri + "\","
                                + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                                + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}"));
        server.createContext("/k8s/openid/v1/jwks", exchange -> {
            jwksHits.incrementAndGet();
            jwksRequested.countDown();
            if (hang) {
                await(release);
                hangEnded = true;
                exchange.close();
                return;
            }
            CountDownLatch held = hold;
            if (held != null) {
                await(held);
            }
            List<JsonWebKey> keys;
            synchronized (published) {
                keys = new ArrayList<>(published);
            }
            String jwks = new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            if (padding > 0) {
                // still a JWK set, only far too large; sent chunked, without a Content-Length
                String body = jwks.substring(0, jwks.length() - 1) + ",\"padding\":\"" + "A".repeat(padding) + "\"}";
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (var out = exchange.getResponseBody()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                } catch (IOException dropped) {
                    // the client closed the connection once it had read enough
                }
                exchange.close();
                return;
            }
            respond(exchange, jwks);
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    void publish(PublicJsonWebKey key) {
        synchronized (published) {
            published.add(key);
        }
    }

    void hangJwks() {
        hang = true;
    }

    /** True while a hung key-set request is still held (it ends at {@link #close()}, or after a minute). */
    boolean stillHanging() {
        return !hangEnded;
    }

    /** Key-set requests wait until {@link #releaseJwks()}. */
    void holdJwks() {
        hold = new CountDownLatch(1);
    }

    void releaseJwks() {
        hold.countDown();
    }

    /** Waits until the key set has been requested once. */
    void awaitJwksRequest() throws InterruptedException {
        if (!jwksRequested.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the issuer's key set was never requested");
        }
    }

    /** The discovery document names this {@code issuer} instead of the issuer's own URL. */
    void discoveryNames(String otherIssuer) {
        discoveryIssuer = otherIssuer;
    }

    /** The discovery document names this {@code jwks_uri}. */
    void jwksUriIs(String uri) {
        jwksUri = uri;
    }

    /** The key set grows by {@code bytes} of padding. */
    void padJwks(int bytes) {
        padding = bytes;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int jwksHits() {
        return jwksHits.get();
    }

    /** The claims of a projected service-account token for {@code namespace}/{@code serviceAccount}. */
    JwtClaims serviceAccount(String namespace, String serviceAccount) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience("crate");
        claims.setSubject("system:serviceaccount:" + namespace + ":" + serviceAccount);
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(0);
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setGeneratedJwtId();
        claims.setClaim(
                "kubernetes.io",
                Map.of(
                        "namespace", namespace,
                        "node",
                                Map.of(
                                        "name",
                                        "node-1",
                                        "uid",
                                        UUID.randomUUID().toString()),
                        "pod",
                                Map.of(
                                        "name",
                                        serviceAccount + "-7d9f8",
                                        "uid",
                                        UUID.randomUUID().toString()),
                        "serviceaccount",
                                Map.of(
                                        "name",
                                        serviceAccount,
                                        "uid",
                                        UUID.randomUUID().toString())));
        return claims;
    }

    String sign(JwtClaims claims) {
        return sign(claims, rsa, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    static String sign(JwtClaims claims, PublicJsonWebKey key, String alg) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(alg);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    String unsigned(JwtClaims claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            jws.setKeyIdHeaderValue(rsa.getKeyId());
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key-confusion attack: HS256 with the issuer's public key (as published) as the HMAC secret. */
    String hmacWithPublicKey(JwtClaims claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(new HmacKey(rsa.getPublicKey().getEncoded()));
            jws.setDoKeyValidation(false);
            jws.setKeyIdHeaderValue(rsa.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        release.countDown();
        CountDownLatch held = hold;
        if (held != null) {
            held.countDown();
        }
        server.stop(0);
    }
}
