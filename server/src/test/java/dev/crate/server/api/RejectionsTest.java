package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad input answers its documented 4xx with a stable code, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class RejectionsTest {
    private Org org;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @BeforeEach
    void newOrg() {
        org = Api.newOrg();
    }

    private String secrets() {
        return "/organization/" + org.id() + "/secrets";
    }

    private ValidatableResponse put(Map<String, Object> body) {
        return as(org.adminKey()).body(body).put(secrets()).then();
    }

    private Map<String, Object> body(String name, Object encrypted, Object sealed) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("encrypted_value", encrypted);
        if (sealed != null) {
            body.put("sealed", sealed);
        }
        return body;
    }

    /** Sealed for secret {@code name} in dev, as body(...) stores it. */
    private String sealed(String name, String value) {
        Api.PublicKey key = Api.publicKey(org);
        return Sealing.sealJwe(
                key.key(), key.kid(), Api.destination(org, "dev", name), value.getBytes(StandardCharsets.UTF_8));
    }

    private void expectProblem(ValidatableResponse response, int status, String code) {
        response.statusCode(status)
                .contentType(containsString("application/problem+json"))
                .body("code", equalTo(code))
                .body("status", equalTo(status))
                .body("request_id", notNullValue())
                .body("detail", notNullValue());
    }

    private void assertNothingStored() {
        as(org.adminKey()).get(secrets()).then().body("secrets.size()", equalTo(0));
    }

    @Test
    void rejectsUnsealedValues() {
        expectProblem(put(body("A", "plain", false)), 400, "unsealed_value_rejected");
        expectProblem(put(body("A", "plain", null)), 400, "unsealed_value_rejected");
        assertNothingStored();
    }

    @Test
    void rejectsEverySealedValueItCannotOpenWithOneCode() {
        String good = sealed("A", "v");
        String[] parts = good.split("\\.");
        byte[] ct = Base64.getUrlDecoder().decode(parts[3]);
        ct[0] ^= 1;
        String tampered = String.join(
                ".",
                parts[0],
                parts[1],
                parts[2],
                Base64.getUrlEncoder().withoutPadding().encodeToString(ct),
                parts[4]);
        Org other = Api.newOrg();
        Api.PublicKey otherKey = Api.publicKey(other);
        // Bound to this store's destination, but sealed to another org's key.
        String otherOrgs = Sealing.sealJwe(
                otherKey.key(), otherKey.kid(), Api.destination(org, "dev", "A"), "v".getBytes(StandardCharsets.UTF_8));
        String otherOrgsRaw =
                Sealing.sealRaw(otherKey.key(), Api.destination(org, "dev", "A"), "v".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("not base64!", "AAAA", tampered, otherOrgs, otherOrgsRaw, "a.b.c.d.e")) {
            expectProblem(put(body("A", bad, true)), 400, "invalid_sealed_value");
        }
        assertNothingStored();
    }

    @Test
    void rejectsInvalidNamesEnvironmentsAndTags() {
        expectProblem(put(body("1BAD", sealed("1BAD", "v"), true)), 400, "invalid_name");
        expectProblem(put(body("A".repeat(129), sealed("A", "v"), true)), 400, "invalid_name");
        Map<String, Object> env = body("A", sealed("A", "v"), true);
        env.put("environment", "Prod!");
        expectProblem(put(env), 400, "invalid_environment");
        Map<String, Object> tag = body("A", sealed("A", "v"), true);
        tag.put("tags", List.of("Bad Tag"));
        expectProblem(put(tag), 400, "invalid_tag");
        Map<String, Object> many = body("A", sealed("A", "v"), true);
        many.put("tags", IntStream.range(0, 21).mapToObj(i -> "t" + i).toList());
        expectProblem(put(many), 400, "too_many_tags");
        assertNothingStored();
    }

    @Test
    void rejectsValuesOver64KiB() {
        expectProblem(put(body("BIG", sealed("BIG", "x".repeat(64 * 1024 + 1)), true)), 413, "value_too_large");
        assertNothingStored();
    }

    @Test
    void rejectsAnEmptyValueAndInvalidUtf8() {
        Api.PublicKey key = Api.publicKey(org);
        expectProblem(
                put(body("E", Sealing.sealRaw(key.key(), Api.destination(org, "dev", "E"), new byte[0]), true)),
                400,
                "invalid_value");
        String latin1 = Sealing.sealJwe(
                key.key(), key.kid(), Api.destination(org, "dev", "E"), new byte[] {(byte) 0xff, (byte) 0xfe});
        expectProblem(put(body("E", latin1, true)), 400, "invalid_value");
        assertNothingStored();
    }

    @Test
    void rejectsBodiesOver256KiB() {
        expectProblem(
                as(org.adminKey())
                        .body("{\"name\":\"" + "A".repeat(300 * 1024) + "\"}")
                        .put(secrets())
                        .then(),
                413,
                "body_too_large");
    }

    @Test
    void rejectsChunkedBodiesOver256KiBLikeAnnouncedOnes() throws Exception {
        int limit = dev.crate.protocol.Limits.MAX_BODY_BYTES;
        // Exactly the limit, sent chunked: a valid store, its padding JSON whitespace inside the object.
        var exact = sendWithoutLength(padded(body("EXACT", sealed("EXACT", "fine"), true), limit));
        assertEquals(200, exact.statusCode(), exact.body());
        // One byte more; a small document followed by the rest of 300 KiB of whitespace (a reader stops
        // at the end of the value, the limit does not); and a body of 16 MiB streamed as it is generated.
        assertTooLarge(sendWithoutLength(padded(body("OVER", sealed("OVER", "v"), true), limit + 1)));
        String small = Api.JSON.writeValueAsString(body("TRAILING", sealed("TRAILING", "v"), true));
        assertTooLarge(sendWithoutLength((small + " ".repeat(300 * 1024)).getBytes(StandardCharsets.UTF_8)));
        assertTooLarge(sendWithoutLength(
                () -> new Generated("{\"name\":\"STREAMED\",\"sealed\":true,\"encrypted_value\":\"", 16 << 20, "\"}")));
        as(org.adminKey()).get(secrets()).then().body("secrets.name", equalTo(List.of("EXACT")));
    }

    @Test
    void closesTheConnectionInsteadOfReadingTheRestOfAnOversizedChunkedBody() throws Exception {
        oversizedBodyIsAnsweredAndTheConnectionClosed(true);
    }

    @Test
    void closesTheConnectionInsteadOfReadingTheRestOfAnOversizedAnnouncedBody() throws Exception {
        oversizedBodyIsAnsweredAndTheConnectionClosed(false);
    }

    /** HTTP/2 (h2c, as gRPC clients speak it): no Connection header there; the one stream is answered, then reset. */
    @Test
    void oversizedBodiesOverHttp2GetTheProblemAndTheConnectionLives() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                    .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)
                    .setDefaultHost(base.getHost())
                    .setDefaultPort(base.getPort()));
            byte[] big = ("{\"name\":\"X\",\"encrypted_value\":\"" + "A".repeat(300 * 1024) + "\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            for (boolean chunked : List.of(false, true)) {
                io.vertx.core.http.HttpClientResponse[] head = new io.vertx.core.http.HttpClientResponse[1];
                String body = client.request(
                                io.vertx.core.http.HttpMethod.PUT, "/organization/" + org.id() + "/secrets")
                        .compose(request -> {
                            request.putHeader("Authorization", "Bearer " + org.adminKey())
                                    .putHeader("Content-Type", "application/json");
                            if (chunked) {
                                request.setChunked(true); // HTTP/2: DATA frames without a content-length
                            } else {
                                request.putHeader("Content-Length", Integer.toString(big.length));
                            }
                            request.end(io.vertx.core.buffer.Buffer.buffer(big));
                            return request.response();
                        })
                        .compose(response -> {
                            head[0] = response;
                            return response.body();
                        })
                        .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
                String what = chunked ? "without content-length" : "with content-length";
                assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, head[0].version(), what);
                assertEquals(413, head[0].statusCode(), what + ": " + body);
                assertEquals("application/problem+json", head[0].getHeader("Content-Type"), what);
                assertTrue(body.contains("\"code\":\"body_too_large\""), what + ": " + body);
            }
            // The connection those streams were on still serves requests.
            int status = client.request(io.vertx.core.http.HttpMethod.GET, "/organization/" + org.id() + "/secrets")
                    .compose(request -> request.putHeader("Authorization", "Bearer " + org.adminKey())
                            .send())
                    .map(io.vertx.core.http.HttpClientResponse::statusCode)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, status);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertNothingStored();
    }

    /** Clients that write the whole body before reading (most simple ones do) must still get to read the answer. */
    @Test
    void aClientThatWritesItsWholeOversizedBodyFirstStillReadsTheAnswer() throws Exception {
        for (int size : List.of(300 * 1024, 1024 * 1024)) {
            for (boolean chunked : List.of(false, true)) {
                String what = size + " bytes " + (chunked ? "chunked" : "with Content-Length");
                try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                    socket.setSoTimeout(30_000);
                    byte[] body = ("{\"name\":\"X\",\"encrypted_value\":\"" + "A".repeat(size) + "\"}")
                            .getBytes(StandardCharsets.US_ASCII);
                    var out = new java.io.ByteArrayOutputStream();
                    out.write(rawStoreHead(chunked, body.length));
                    if (chunked) {
                        out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(body);
                    }
                    // in pieces, as over a network: the answer may come while the client still writes
                    byte[] request = out.toByteArray();
                    for (int at = 0; at < request.length; at += 16 * 1024) {
                        socket.getOutputStream().write(request, at, Math.min(16 * 1024, request.length - at));
                        socket.getOutputStream().flush();
                        Thread.sleep(2);
                    }
                    String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(text.startsWith("HTTP/1.1 413"), what + ": " + text);
                    assertTrue(text.contains("\"code\":\"body_too_large\""), what + ": " + text);
                }
            }
        }
        assertNothingStored();
    }

    /** A raw HTTP/1.1 client that tries to send 256 MiB, chunked or with its Content-Length, and reads the answer. */
    private void oversizedBodyIsAnsweredAndTheConnectionClosed(boolean chunked) throws Exception {
        long total = 256L << 20;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            var sent = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    var out = socket.getOutputStream();
                    out.write(rawStoreHead(chunked, total));
                    byte[] start = "{\"name\":\"X\",\"sealed\":true,\"encrypted_value\":\""
                            .getBytes(StandardCharsets.US_ASCII);
                    if (chunked) {
                        out.write((Integer.toHexString(start.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(start);
                    // chunked: each chunk first ends the one before it
                    byte[] chunk = ((chunked ? "\r\n10000\r\n" : "") + "A".repeat(0x10000))
                            .getBytes(StandardCharsets.US_ASCII);
                    while (sent.get() < total) {
                        out.write(chunk);
                        sent.addAndGet(0x10000);
                    }
                } catch (java.io.IOException expected) {
                    // the server closed the connection
                }
            });
            writer.start();
            var answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer); // returns once the server closes
            } catch (java.net.SocketException reset) {
                // closed with the unread body still in the socket buffer: a reset, after the answer
            }
            writer.join(30_000);
            String text = answer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            assertTrue(text.toLowerCase().contains("content-type: application/problem+json"), text);
            assertTrue(text.toLowerCase().contains("connection: close"), text);
            assertTrue(text.contains("\"code\":\"body_too_large\""), text);
            assertTrue(sent.get() < total, "the server read the whole body: " + sent.get());
        }
        assertNothingStored();
    }

    /** The head of a raw HTTP/1.1 store request whose body is chunked or announced with its length. */
    private byte[] rawStoreHead(boolean chunked, long length) {
        return ("PUT /organization/" + org.id() + "/secrets HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + org.adminKey() + "\r\nContent-Type: application/json\r\n"
                        + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private java.net.http.HttpResponse<String> sendWithoutLength(byte[] body) throws Exception {
        return sendWithoutLength(() -> new java.io.ByteArrayInputStream(body));
    }

    /** BodyPublishers.ofInputStream has no length: HTTP/1.1 sends it chunked. */
    private java.net.http.HttpResponse<String> sendWithoutLength(java.util.function.Supplier<java.io.InputStream> body)
            throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "organization/" + org.id() + "/secrets"))
                .header("Authorization", "Bearer " + org.adminKey())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(body))
                .build();
        var client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private void assertTooLarge(java.net.http.HttpResponse<String> response) throws Exception {
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                java.util.Optional.of("application/problem+json"),
                response.headers().firstValue("Content-Type"));
        assertEquals(java.util.Optional.of("close"), response.headers().firstValue("Connection"));
        Map<?, ?> problem = Api.JSON.readValue(response.body(), Map.class);
        assertEquals("body_too_large", problem.get("code"));
        assertEquals(413, problem.get("status"));
        assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), problem.get("request_id"));
    }

    /** The JSON document of {@code body}, padded with whitespace after its opening brace to exactly {@code size} bytes. */
    private static byte[] padded(Map<String, Object> body, int size) throws Exception {
        String json = Api.JSON.writeValueAsString(body);
        byte[] padded = ("{" + " ".repeat(size - json.length()) + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        assertEquals(size, padded.length);
        return padded;
    }

    /** {@code head}, {@code count} times 'A', {@code tail}: made as it is read, never held in memory. */
    private static final class Generated extends java.io.InputStream {
        private final byte[] head;
        private final byte[] tail;
        private final long end;
        private long position;

        Generated(String head, long count, String tail) {
            this.head = head.getBytes(StandardCharsets.US_ASCII);
            this.tail = tail.getBytes(StandardCharsets.US_ASCII);
            this.end = this.head.length + count + this.tail.length;
        }

        @Override
        public int read() {
            if (position >= end) {
                return -1;
            }
            long at = position++;
            if (at < head.length) {
                return head[(int) at];
            }
            long fromTail = at - (end - tail.length);
            return fromTail >= 0 ? tail[(int) fromTail] : 'A';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }

    @Test
    void rejectsFieldsOfTheWrongTypeAsMalformed() {
        for (String body : List.of(
                "{\"name\":\"X\",\"encrypted_value\":\"abc\",\"sealed\":\"yes\"}",
                "[1,2]",
                "{\"name\":\"X\",\"tags\":\"backend\"}")) {
            expectProblem(as(org.adminKey()).body(body).put(secrets()).then(), 400, "malformed_request");
        }
        expectProblem(
                as(org.adminKey())
                        .body("{\"name\":\"x\",\"expires_at\":\"tomorrow\"}")
                        .post("/organization/" + org.id() + "/api-keys")
                        .then(),
                400,
                "malformed_request");
        assertNothingStored();
    }

    @Test
    void acceptsASmallBodySentWithoutALength() throws Exception {
        byte[] small = Api.JSON.writeValueAsBytes(body("CHUNKED", sealed("CHUNKED", "fine"), true));
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "organization/" + org.id() + "/secrets"))
                .header("Authorization", "Bearer " + org.adminKey())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(small)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("fine", Api.value(Api.retrieve(org, "dev", null, null), "CHUNKED"));
    }

    @Test
    void rejectsMalformedJson() {
        expectProblem(as(org.adminKey()).body("{\"name\":").put(secrets()).then(), 400, "malformed_request");
        expectProblem(
                as(org.adminKey())
                        .body("{\"names\": 7, \"client_public_key_pem\": 1}")
                        .post(secrets() + "/retrieve")
                        .then(),
                400,
                "malformed_request");
    }

    @Test
    void rejectsRetrieveWithWeakMissingOrDoubleClientKeys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Map<String, Object> weakRsa = JsonWebKey.Factory.newJwk(
                        rsa.generateKeyPair().getPublic())
                .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        Map<String, Object> p384 = JsonWebKey.Factory.newJwk(
                        ec.generateKeyPair().getPublic())
                .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        expectProblem(retrieve(Map.of("client_public_jwk", weakRsa)), 400, "weak_client_key");
        expectProblem(retrieve(Map.of("client_public_jwk", p384)), 400, "weak_client_key");
        expectProblem(retrieve(Map.of()), 400, "invalid_client_key");
        Map<String, Object> jwk = TemporaryKey.generate().publicJwk();
        expectProblem(
                retrieve(Map.of("client_public_jwk", jwk, "client_public_key_pem", "x")), 400, "invalid_client_key");
        expectProblem(
                retrieve(Map.of("client_public_key_pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")),
                400,
                "invalid_client_key");
        Map<String, Object> withPrivate = new HashMap<>(jwk);
        withPrivate.put("d", "AAAA");
        expectProblem(retrieve(Map.of("client_public_jwk", withPrivate)), 400, "invalid_client_key");
    }

    @Test
    void rejectsMoreNamesPerRetrieveThanTheDefaultPageBound() {
        List<String> names = new ArrayList<>();
        IntStream.range(0, 501).forEach(i -> names.add("N" + i));
        expectProblem(
                retrieve(Map.of(
                        "names",
                        names,
                        "client_public_jwk",
                        TemporaryKey.generate().publicJwk())),
                400,
                "too_many_names");
    }

    @Test
    void answersNotFoundForAnUnknownEnvironment() {
        expectProblem(as(org.adminKey()).get(secrets() + "?env=nowhere").then(), 404, "environment_not_found");
    }

    @Test
    void answersProblemJsonForUnknownRoutesAndMethods() {
        expectProblem(as(org.adminKey()).get("/no/such/route").then(), 404, "not_found");
        expectProblem(as(org.adminKey()).patch(secrets()).then(), 405, "method_not_allowed");
    }

    private ValidatableResponse retrieve(Map<String, Object> body) {
        return as(org.adminKey()).body(body).post(secrets() + "/retrieve").then();
    }
}
