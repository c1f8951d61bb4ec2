package dev.crate.server.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.function.Consumer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * Tokens that differ from a valid one in exactly one way are refused with a quiet 401. The tests hold
 * the Keycloak realm's signing key, so "valid but expired" really is signed by the IdP's key.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class TokenForgeryTest {

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(KeycloakResource.issuer());
        claims.setAudience("crate");
        claims.setSubject("forged-subject-1");
        claims.setClaim("email", "forged@example.com");
        claims.setClaim("email_verified", true);
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    private static String sign(JwtClaims claims, String kid, PrivateKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static String valid(Consumer<JwtClaims> change) throws Exception {
        JwtClaims claims = claims();
        change.accept(claims);
        return sign(
                claims, KeycloakResource.realmKid(), KeycloakResource.realmKey().getPrivate());
    }

    private static void refused(String token) {
        given().header("Authorization", "Bearer " + token)
                .get("/me")
                .then()
                .statusCode(401)
                .body("code", equalTo("unauthenticated"));
    }

    @Test
    void aTokenSignedByTheRealmKeyIsAccepted() throws Exception {
        given().header("Authorization", "Bearer " + valid(c -> {}))
                .get("/me")
                .then()
                .statusCode(200)
                .body("kind", equalTo("user"))
                .body("subject", equalTo("forged-subject-1"));
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        refused(valid(c ->
                c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60))));
    }

    @Test
    void refusesATokenNotYetValid() throws Exception {
        refused(valid(
                c -> c.setNotBefore(NumericDate.fromSeconds(NumericDate.now().getValue() + 600))));
    }

    @Test
    void refusesAWrongIssuer() throws Exception {
        refused(valid(c -> c.setIssuer(KeycloakResource.issuer().replace("/crate", "/other"))));
    }

    @Test
    void refusesAWrongAudience() throws Exception {
        refused(valid(c -> c.setAudience("someone-else")));
    }

    @Test
    void refusesAlgNone() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        refused(jws.getCompactSerialization());
    }

    @Test
    void refusesHs256SignedWithThePublicKey() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(KeycloakResource.realmKid());
        jws.setKey(new HmacKey(KeycloakResource.realmKey().getPublic().getEncoded()));
        jws.setDoKeyValidation(false);
        refused(jws.getCompactSerialization());
    }

    @Test
    void refusesAnUnknownKid() throws Exception {
        refused(sign(claims(), "no-such-kid", KeycloakResource.realmKey().getPrivate()));
    }

    @Test
    void refusesATokenSignedByAnotherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refused(sign(
                claims(),
                KeycloakResource.realmKid(),
                generator.generateKeyPair().getPrivate()));
    }

    @Test
    void refusesMalformedTokensQuietly() throws Exception {
        for (String junk : new String[] {"a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", "not-a-token-at-all", "x.y"}) {
            refused(junk);
        }
        if (Files.exists(PostgresResource.LOG_FILE)) {
            String log = Files.readString(PostgresResource.LOG_FILE, StandardCharsets.UTF_8);
            assertFalse(log.contains("ERROR [io.quarkus.oidc"), "a garbage token must not log an ERROR");
        }
    }
}
