package dev.crate.server.api;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.SecretNames;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client key the server cannot safely encrypt to is refused before anything is read: 400
 * invalid_client_key, no value decrypted, no read in the audit trail.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class ClientKeyChecksTest {
    private static final BigInteger P256 =
            new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private Org org;

    @BeforeEach
    void storeASecret() {
        org = Api.newOrg();
        Api.storeOk(org, "dev", "DB_PASSWORD", "hunter2", null);
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static BigInteger unb64(Object text) {
        return new BigInteger(1, Base64.getUrlDecoder().decode((String) text));
    }

    private void refused(Map<String, Object> jwk) {
        Map<String, Object> body = new HashMap<>();
        body.put("environment", "dev");
        body.put("names", List.of("DB_PASSWORD"));
        body.put("client_public_jwk", jwk);
        as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/secrets/retrieve")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("code", equalTo("invalid_client_key"));
        as(org.adminKey())
                .queryParam("action", "secret.read")
                .get("/organization/" + org.id() + "/audit")
                .then()
                .statusCode(200)
                .body("events.size()", equalTo(0));
    }

    private static Map<String, Object> ecKey() {
        return new HashMap<>(TemporaryKey.generate().publicJwk());
    }

    @Test
    void refusesAnEcPointOffTheCurve() {
        Map<String, Object> jwk = ecKey();
        jwk.put("y", b64(unb64(jwk.get("y")).add(BigInteger.ONE).mod(P256)));
        refused(jwk);
    }

    @Test
    void refusesAnEcCoordinateNotBelowTheFieldPrime() {
        Map<String, Object> jwk = ecKey();
        jwk.put("x", b64(unb64(jwk.get("x")).add(P256)));
        refused(jwk);
    }

    @Test
    void refusesAnEcPointOffTheCurveOverGrpc() {
        Map<String, Object> jwk = ecKey();
        jwk.put("y", b64(unb64(jwk.get("y")).add(BigInteger.ONE).mod(P256)));
        Grpc.Failure failure = Grpc.failure(() -> Grpc.secrets(org.adminKey())
                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setEnvironment("dev")
                        .setNames(SecretNames.newBuilder().addNames("DB_PASSWORD"))
                        .setClientPublicJwk(Grpc.struct(jwk))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, failure.status());
        assertEquals("invalid_client_key", failure.code());
    }

    private static Map<String, Object> rsa(BigInteger n, BigInteger e) {
        return Map.of("kty", "RSA", "n", b64(n), "e", b64(e));
    }

    private static BigInteger modulus() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return ((RSAPublicKey) generator.generateKeyPair().getPublic()).getModulus();
    }

    @Test
    void refusesAnRsaKeyWithExponentOne() throws Exception {
        refused(rsa(modulus(), BigInteger.ONE));
    }

    @Test
    void refusesAnRsaKeyWithAnEvenExponent() throws Exception {
        refused(rsa(modulus(), BigInteger.valueOf(65536)));
    }

    @Test
    void refusesAnRsaKeyWithAnEvenModulus() throws Exception {
        refused(rsa(modulus().clearBit(0), BigInteger.valueOf(65537)));
    }
}
