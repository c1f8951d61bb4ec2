package dev.crate.server.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrievedPayload;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a well-behaved client does, for tests: seal with the org key, retrieve with a temporary key. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Api() {}

    /** An org of its own for a test class, with its admin key. */
    public record Org(String id, String adminKey) {}

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static Org newOrg() {
        Response response = as(PostgresResource.ADMIN_TOKEN)
                .body(Map.of("name", "org-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/organizations");
        response.then().statusCode(201);
        return new Org(response.path("id"), response.path("admin_api_key.key"));
    }

    public static String apiKey(Org org, String role) {
        return as(org.adminKey())
                .body(Map.of("name", role + " key", "role", role))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    public record PublicKey(String pem, String kid) {
        public java.security.PublicKey key() {
            return Pem.decode(pem, "RSA");
        }
    }

    public static PublicKey publicKey(Org org) {
        Response response = as(org.adminKey()).get("/organization/" + org.id() + "/secrets/public-key");
        response.then().statusCode(200);
        return new PublicKey(response.path("public_key_pem"), response.path("kid"));
    }

    public static Response store(Org org, String env, String name, String value, List<String> tags) {
        PublicKey key = publicKey(org);
        String sealed = Sealing.sealJwe(
                key.key(), key.kid(), destination(org, env, name), value.getBytes(StandardCharsets.UTF_8));
        return storeSealed(org, env, name, sealed, tags);
    }

    /** Where a value stored by these helpers goes: what first-party clients bind into the sealed value. */
    public static dev.crate.protocol.sealing.Destination destination(Org org, String env, String name) {
        return new dev.crate.protocol.sealing.Destination(
                org.id(), env == null || env.isEmpty() ? dev.crate.protocol.Limits.DEFAULT_ENVIRONMENT : env, name);
    }

    public static Response storeSealed(Org org, String env, String name, String sealed, List<String> tags) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("environment", env);
        body.put("encrypted_value", sealed);
        body.put("sealed", true);
        if (tags != null) {
            body.put("tags", tags);
        }
        return as(org.adminKey()).body(body).put("/organization/" + org.id() + "/secrets");
    }

    public static void storeOk(Org org, String env, String name, String value, List<String> tags) {
        store(org, env, name, value, tags).then().statusCode(200);
    }

    public static RetrievedPayload retrieve(Org org, String env, List<String> names, List<String> tags) {
        TemporaryKey key = TemporaryKey.generate();
        Response response = as(org.adminKey())
                .body(new RetrieveRequest(env, names, tags, null, key.publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        try {
            return JSON.readValue(key.open(response.path("sealed_payload")), RetrievedPayload.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("payload is not the documented JSON", e);
        }
    }

    public static String value(RetrievedPayload payload, String name) {
        return payload.secrets().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not retrieved"))
                .value();
    }
}
