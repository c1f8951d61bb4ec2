package dev.crate.server.workload;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exchange against a Kubernetes-style issuer served by the test (real discovery, real JWKS, real
 * signatures), and every refusal: one 401 code for the caller, the reason in the audit trail.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class WorkloadExchangeTest {
    static TestIssuer k8s;
    static TestIssuer other;
    private Org org;
    private String bindingId;

    @BeforeAll
    static void issuers() throws Exception {
        k8s = new TestIssuer();
        other = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        k8s.close();
        other.close();
    }

    @BeforeEach
    void seed() {
        org = Api.newOrg();
        Api.storeOk(org, "dev", "DB_URL", "postgres://dev", List.of("backend"));
        Api.storeOk(org, "prod", "DB_URL", "postgres://prod", List.of("backend"));
        bindingId = bind(Map.of(
                "name",
                "payments pods",
                "issuer",
                k8s.issuer,
                "audience",
                "crate",
                "subject",
                "system:serviceaccount:payments:*",
                "claims",
                Map.of("kubernetes.io/namespace", "payments", "kubernetes.io/serviceaccount/name", "api"),
                "role",
                "member",
                "grants",
                Map.of("dev", List.of("read")),
                "environments",
                List.of("dev")));
    }

    String bind(Map<String, Object> body) {
        return as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/workload-identities")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static Response exchange(String token, String orgId) {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "subject_token", token,
                        "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                        "organization", orgId))
                .post("/auth/workload-token");
    }

    String crateToken(String platformToken) {
        return exchange(platformToken, org.id())
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    static Response retrieve(String token, String orgId, String env) {
        return as(token)
                .body(Map.of(
                        "environment",
                        env,
                        "client_public_jwk",
                        TemporaryKey.generate().publicJwk()))
                .post("/organization/" + orgId + "/secrets/retrieve");
    }

    /** The newest {@code workload.exchange} record of the org. */
    JsonNode lastExchangeRecord() throws Exception {
        String body = as(org.adminKey())
                .get("/organization/" + org.id() + "/audit?action=workload.exchange")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode events = Api.JSON.readTree(body).get("events");
        assertTrue(events.size() > 0, "no workload.exchange record");
        return events.get(0);
    }

    void assertRefusedAndAudited(Response response, String reasonFragment) throws Exception {
        response.then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("code", equalTo("workload_token_refused"));
        JsonNode record = lastExchangeRecord();
        assertEquals("denied", record.get("outcome").asText());
        assertEquals("workload_token_refused", record.get("reason").asText());
        JsonNode detail = Api.JSON.readTree(record.get("detail").asText());
        assertTrue(
                detail.path("refusal").asText().contains(reasonFragment),
                "refusal reason '" + detail.path("refusal").asText() + "' should contain '" + reasonFragment + "'");
    }

    @Test
    void aServiceAccountTokenIsExchangedForATokenThatReadsDevAndNotProd() throws Exception {
        Response response = exchange(k8s.sign(k8s.serviceAccount("payments", "api")), org.id());
        response.then()
                .statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("issued_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
                .body("expires_in", equalTo(900))
                .body("binding", equalTo(bindingId))
                .body("access_token", startsWith("crate_wl_"));
        String token = response.path("access_token");
        retrieve(token, org.id(), "dev").then().statusCode(200);
        retrieve(token, org.id(), "prod").then().statusCode(403).body("code", equalTo("forbidden"));
        JsonNode record = lastExchangeRecord();
        assertEquals("success", record.get("outcome").asText());
        assertEquals("workload", record.get("actor_type").asText());
        assertEquals(bindingId, record.get("actor_id").asText());
        JsonNode detail = Api.JSON.readTree(record.get("detail").asText());
        assertEquals(k8s.issuer, detail.get("issuer").asText());
        assertEquals("system:serviceaccount:payments:api", detail.get("sub").asText());
        assertTrue(detail.hasNonNull("jti"));
    }

    @Test
    void readsByAWorkloadNameTheBindingAndTheSubjectInTheAuditTrail() throws Exception {
        String token = crateToken(k8s.sign(k8s.serviceAccount("payments", "api")));
        retrieve(token, org.id(), "dev").then().statusCode(200);
        String body = as(org.adminKey())
                .get("/organization/" + org.id() + "/audit?action=secret.read")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode read = Api.JSON.readTree(body).get("events").get(0);
        assertEquals("workload", read.get("actor_type").asText());
        assertEquals(bindingId, read.get("actor_id").asText());
        assertEquals(
                "payments pods (system:serviceaccount:payments:api)",
                read.get("actor_name").asText());
    }

    @Test
    void anEcSignedTokenIsAcceptedToo() {
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        exchange(TestIssuer.sign(claims, k8s.ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256), org.id())
                .then()
                .statusCode(200);
    }

    @Test
    void aFormEncodedExchangeAsRfc8693ClientsSendItWorks() {
        given().contentType(ContentType.URLENC)
                .formParam("subject_token", k8s.sign(k8s.serviceAccount("payments", "api")))
                .formParam("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
                .formParam("organization", org.id())
                .post("/auth/workload-token")
                .then()
                .statusCode(200)
                .body("access_token", startsWith("crate_wl_"));
    }

    @Test
    void theOldestMatchingBindingWins() {
        String wider = bind(Map.of(
                "name", "any pod of payments",
                "issuer", k8s.issuer,
                "audience", "crate",
                "subject", "system:serviceaccount:payments:*",
                "role", "viewer"));
        exchange(k8s.sign(k8s.serviceAccount("payments", "api")), org.id())
                .then()
                .statusCode(200)
                .body("binding", equalTo(bindingId));
        exchange(k8s.sign(k8s.serviceAccount("payments", "worker")), org.id())
                .then()
                .statusCode(200)
                .body("binding", equalTo(wider));
    }

    @Test
    void refusesATokenOfAnIssuerNoBindingNames() throws Exception {
        JwtClaims claims = other.serviceAccount("payments", "api");
        assertRefusedAndAudited(exchange(other.sign(claims), org.id()), "no binding");
    }

    @Test
    void refusesATokenWhoseIssuerClaimIsNotTheKeysIssuer() throws Exception {
        // signed by the other issuer's key, claiming to come from the bound one
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        assertRefusedAndAudited(
                exchange(TestIssuer.sign(claims, other.rsa, AlgorithmIdentifiers.RSA_USING_SHA256), org.id()),
                "unknown kid");
    }

    @Test
    void refusesAWrongAudience() throws Exception {
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        claims.setAudience("vault");
        assertRefusedAndAudited(exchange(k8s.sign(claims), org.id()), "wrong audience");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
        claims.setNotBefore(NumericDate.fromSeconds(NumericDate.now().getValue() - 7200));
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 120));
        assertRefusedAndAudited(exchange(k8s.sign(claims), org.id()), "expired");
    }

    @Test
    void refusesATokenNotYetValid() throws Exception {
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        claims.setNotBefore(NumericDate.fromSeconds(NumericDate.now().getValue() + 600));
        assertRefusedAndAudited(exchange(k8s.sign(claims), org.id()), "not yet valid");
    }

    @Test
    void refusesATokenIssuedInTheFuture() throws Exception {
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() + 600));
        assertRefusedAndAudited(exchange(k8s.sign(claims), org.id()), "future");
    }

    @Test
    void refusesAnUnsignedToken() throws Exception {
        assertRefusedAndAudited(exchange(k8s.unsigned(k8s.serviceAccount("payments", "api")), org.id()), "none");
    }

    @Test
    void refusesHs256SignedWithThePublicKey() throws Exception {
        assertRefusedAndAudited(
                exchange(k8s.hmacWithPublicKey(k8s.serviceAccount("payments", "api")), org.id()), "HS256");
    }

    @Test
    void refusesAnUnknownKidAfterRefreshingTheKeySetAndAcceptsANewlyPublishedKey() throws Exception {
        PublicJsonWebKey rogue = RsaJwkGenerator.generateJwk(2048);
        rogue.setKeyId("rotated-" + UUID.randomUUID());
        exchange(k8s.sign(k8s.serviceAccount("payments", "api")), org.id())
                .then()
                .statusCode(200);
        Thread.sleep(1_200); // past crate.workload.jwks-refresh-min-interval of the test profile
        int hits = k8s.jwksHits();
        JwtClaims claims = k8s.serviceAccount("payments", "api");
        assertRefusedAndAudited(
                exchange(TestIssuer.sign(claims, rogue, AlgorithmIdentifiers.RSA_USING_SHA256), org.id()),
                "unknown kid after a refresh");
        assertEquals(hits + 1, k8s.jwksHits(), "one refresh for the unknown kid");
        // a second unknown kid right away does not refetch: the refresh rate is bounded
        exchange(
                        TestIssuer.sign(
                                k8s.serviceAccount("payments", "api"), rogue, AlgorithmIdentifiers.RSA_USING_SHA256),
                        org.id())
                .then()
                .statusCode(401);
        assertEquals(hits + 1, k8s.jwksHits(), "no second refresh within the minimum interval");
        // the issuer rotates to that key: after the interval, the next token is verified with it
        k8s.publish(rogue);
        Thread.sleep(1_200);
        exchange(
                        TestIssuer.sign(
                                k8s.serviceAccount("payments", "api"), rogue, AlgorithmIdentifiers.RSA_USING_SHA256),
                        org.id())
                .then()
                .statusCode(200);
    }

    @Test
    void refusesClaimsThatMissARule() throws Exception {
        assertRefusedAndAudited(exchange(k8s.sign(k8s.serviceAccount("payments", "batch")), org.id()), "claims miss");
        assertRefusedAndAudited(exchange(k8s.sign(k8s.serviceAccount("billing", "api")), org.id()), "claims miss");
    }

    @Test
    void aDeletedBindingStopsItsTokensOnTheNextRequest() throws Exception {
        String token = crateToken(k8s.sign(k8s.serviceAccount("payments", "api")));
        retrieve(token, org.id(), "dev").then().statusCode(200);
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/workload-identities/" + bindingId)
                .then()
                .statusCode(204);
        retrieve(token, org.id(), "dev").then().statusCode(401);
        assertRefusedAndAudited(exchange(k8s.sign(k8s.serviceAccount("payments", "api")), org.id()), "no binding");
    }

    @Test
    void aNarrowedBindingNarrowsItsTokensOnTheNextRequest() {
        String token = crateToken(k8s.sign(k8s.serviceAccount("payments", "api")));
        retrieve(token, org.id(), "dev").then().statusCode(200);
        as(org.adminKey())
                .body(Map.of("environments", List.of("staging")))
                .patch("/organization/" + org.id() + "/workload-identities/" + bindingId)
                .then()
                .statusCode(200)
                .body("environments", equalTo(List.of("staging")));
        retrieve(token, org.id(), "dev").then().statusCode(403);
    }

    @Test
    void aPlatformTokenReusedAfterItsCrateTokenExpiredIsRefused() throws Exception {
        String platform = k8s.sign(k8s.serviceAccount("payments", "api"));
        String token = crateToken(platform);
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(
                        "update workload_tokens set expires_at = now() - interval '1 second' where binding_id = ?")) {
            s.setObject(1, UUID.fromString(bindingId));
            assertEquals(1, s.executeUpdate());
        }
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(
                        "update workload_exchanged set crate_expires_at = now() - interval '1 second'")) {
            s.executeUpdate();
        }
        retrieve(token, org.id(), "dev").then().statusCode(401);
        assertRefusedAndAudited(exchange(platform, org.id()), "exchanged before");
    }

    @Test
    void aPlatformTokenExchangedAgainWhileItsCrateTokenLivesGetsNoLongerLife() throws Exception {
        String platform = k8s.sign(k8s.serviceAccount("payments", "api"));
        int first =
                exchange(platform, org.id()).then().statusCode(200).extract().path("expires_in");
        Thread.sleep(1_100);
        String again = exchange(platform, org.id())
                .then()
                .statusCode(200)
                .body("expires_in", lessThan(first))
                .extract()
                .path("access_token");
        retrieve(again, org.id(), "dev").then().statusCode(200);
    }

    @Test
    void anIssuerWhoseKeySetHangsIsRefusedWithinTheTimeout() throws Exception {
        try (TestIssuer hanging = new TestIssuer()) {
            hanging.hangJwks();
            bind(Map.of(
                    "name", "hanging",
                    "issuer", hanging.issuer,
                    "audience", "crate",
                    "subject", "*",
                    "role", "viewer"));
            Response response = exchange(hanging.sign(hanging.serviceAccount("payments", "api")), org.id());
            // answered while the issuer still held the request: Crate's own timeout ended the wait
            assertTrue(hanging.stillHanging(), "the exchange waited until the issuer gave up");
            assertRefusedAndAudited(response, "could not be fetched");
        }
    }

    @Test
    void refusesAnIssuerWhoseDiscoveryDocumentNamesAnotherIssuer() throws Exception {
        try (TestIssuer impostor = new TestIssuer()) {
            impostor.discoveryNames(impostor.issuer + "/");
            bind(Map.of(
                    "name", "impostor",
                    "issuer", impostor.issuer,
                    "audience", "crate",
                    "subject", "*",
                    "role", "viewer"));
            assertRefusedAndAudited(
                    exchange(impostor.sign(impostor.serviceAccount("payments", "api")), org.id()),
                    "names another issuer");
        }
    }

    @Test
    void refusesAnIssuerWhoseKeySetIsNotServedOverHttps() throws Exception {
        try (TestIssuer plain = new TestIssuer()) {
            plain.jwksUriIs("http://keys.example.com/openid/v1/jwks");
            bind(Map.of(
                    "name", "plain keys",
                    "issuer", plain.issuer,
                    "audience", "crate",
                    "subject", "*",
                    "role", "viewer"));
            assertRefusedAndAudited(
                    exchange(plain.sign(plain.serviceAccount("payments", "api")), org.id()), "not https");
        }
    }

    @Test
    void anIssuerWhoseKeySetExceedsTheSizeLimitIsRefused() throws Exception {
        try (TestIssuer bloated = new TestIssuer()) {
            bloated.padJwks(300 * 1024); // over the 256 KiB limit, sent without a Content-Length
            bind(Map.of(
                    "name", "bloated",
                    "issuer", bloated.issuer,
                    "audience", "crate",
                    "subject", "*",
                    "role", "viewer"));
            assertRefusedAndAudited(
                    exchange(bloated.sign(bloated.serviceAccount("payments", "api")), org.id()), "larger than");
        }
    }

    @Test
    void exchangesArrivingWhileTheKeysAreFetchedWaitForThatFetch() throws Exception {
        try (TestIssuer fresh = new TestIssuer()) {
            bind(Map.of(
                    "name", "fresh issuer",
                    "issuer", fresh.issuer,
                    "audience", "crate",
                    "subject", "system:serviceaccount:payments:*",
                    "role", "viewer"));
            fresh.holdJwks();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Response> first =
                        pool.submit(() -> exchange(fresh.sign(fresh.serviceAccount("payments", "api")), org.id()));
                fresh.awaitJwksRequest();
                Future<Response> second =
                        pool.submit(() -> exchange(fresh.sign(fresh.serviceAccount("payments", "worker")), org.id()));
                try {
                    second.get(500, TimeUnit.MILLISECONDS); // a refusal would come now, before the keys
                } catch (TimeoutException waiting) {
                    // waiting for the fetch under way, as it should
                }
                fresh.releaseJwks();
                first.get(30, TimeUnit.SECONDS).then().statusCode(200);
                second.get(30, TimeUnit.SECONDS).then().statusCode(200);
                assertEquals(1, fresh.jwksHits(), "one fetch served both");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aShortenedLifetimeEndsTheTokensAlreadyOlderThanIt() throws Exception {
        String token = crateToken(k8s.sign(k8s.serviceAccount("payments", "api")));
        try (Connection c = PostgresResource.connect();
                PreparedStatement s = c.prepareStatement(
                        "update workload_tokens set created_at = now() - interval '10 minutes' where binding_id = ?")) {
            s.setObject(1, UUID.fromString(bindingId));
            assertEquals(1, s.executeUpdate());
        }
        retrieve(token, org.id(), "dev").then().statusCode(200); // 10 minutes old, the lifetime is 15
        as(org.adminKey())
                .body(Map.of("token_ttl_seconds", 300))
                .patch("/organization/" + org.id() + "/workload-identities/" + bindingId)
                .then()
                .statusCode(200);
        retrieve(token, org.id(), "dev").then().statusCode(401);
    }

    @Test
    void changedRulesEndTheTokensExchangedUnderTheOldOnes() throws Exception {
        String api = crateToken(k8s.sign(k8s.serviceAccount("payments", "api")));
        retrieve(api, org.id(), "dev").then().statusCode(200);
        as(org.adminKey())
                .body(Map.of(
                        "subject",
                        "system:serviceaccount:payments:worker",
                        "claims",
                        Map.of("kubernetes.io/namespace", "payments", "kubernetes.io/serviceaccount/name", "worker")))
                .patch("/organization/" + org.id() + "/workload-identities/" + bindingId)
                .then()
                .statusCode(200);
        retrieve(api, org.id(), "dev").then().statusCode(401);
        String body = as(org.adminKey())
                .get("/organization/" + org.id() + "/audit?action=workload_identity.update")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode change = Api.JSON.readTree(body).get("events").get(0);
        assertEquals(
                1,
                Api.JSON
                        .readTree(change.get("detail").asText())
                        .get("tokens_ended")
                        .asInt());
        String worker = crateToken(k8s.sign(k8s.serviceAccount("payments", "worker")));
        retrieve(worker, org.id(), "dev").then().statusCode(200);
    }

    @Test
    void refusesAnUnknownOrganizationWithTheSameAnswer() {
        exchange(
                        k8s.sign(k8s.serviceAccount("payments", "api")),
                        UUID.randomUUID().toString())
                .then()
                .statusCode(401)
                .body("code", equalTo("workload_token_refused"));
        exchange("not-a-jwt", "not-an-org").then().statusCode(401).body("code", equalTo("workload_token_refused"));
    }

    @Test
    void theExchangeAndItsTokensLeaveNoTraceInTheLogOrTheAuditTrail() throws Exception {
        String platform = k8s.sign(k8s.serviceAccount("payments", "api"));
        String token = crateToken(platform);
        retrieve(token, org.id(), "dev").then().statusCode(200);
        exchange(platform, org.id()).then().statusCode(200); // a repeat while the first token lives
        JwtClaims expired = k8s.serviceAccount("payments", "api");
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        String refused = k8s.sign(expired);
        exchange(refused, org.id()).then().statusCode(401);
        String export = as(org.adminKey())
                .get("/organization/" + org.id() + "/audit/export?format=jsonl")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String log = java.nio.file.Files.readString(PostgresResource.LOG_FILE);
        assertTrue(log.contains("CRATE-0701"), "the issue is logged");
        assertTrue(log.contains("CRATE-0700"), "the refusal is logged");
        Map<String, String> secrets = new HashMap<>();
        secrets.put("platform token", platform);
        secrets.put("its signature", platform.substring(platform.lastIndexOf('.') + 1));
        secrets.put("refused token's signature", refused.substring(refused.lastIndexOf('.') + 1));
        secrets.put("crate token", token);
        secrets.put("crate token body", token.substring("crate_wl_".length()));
        secrets.forEach((what, value) -> {
            assertTrue(!export.contains(value), what + " is in the audit trail");
            assertTrue(!log.contains(value), what + " is in the server log");
        });
    }
}
