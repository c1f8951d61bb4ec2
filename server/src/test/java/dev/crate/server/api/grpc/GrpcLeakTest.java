package dev.crate.server.api.grpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.server.api.grpc.v1.DeleteSecretRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.StoreSecretRequest;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Canary values and tokens through every gRPC path (stored sealed as JWE and raw, listed, retrieved,
 * rejected, deleted; refused credentials): afterwards the server log holds none of them, and no
 * status description sent to a client does either.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class GrpcLeakTest {

    @Test
    void grpcPathsLogNoSecretValueAndNoToken() throws Exception {
        String canary = "GRPCCANARY" + UUID.randomUUID().toString().replace("-", "");
        String rawCanary = "GRPCRAWCANARY" + UUID.randomUUID().toString().replace("-", "");
        String tokenCanary =
                "crate_GrpcCanaryToken" + UUID.randomUUID().toString().replace("-", "");
        String jwtCanary = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJHUlBDQ0FOQVJZSldUIn0.R1JQQ0NBTkFSWVNJRw";
        Org org = Api.newOrg();
        Grpc.store(org.adminKey(), org.id(), "dev", "GRPC_CANARY", canary, List.of("leak"));
        PublicKey key = Grpc.publicKey(org.adminKey(), org.id());
        String rawSealed = Sealing.sealRaw(
                Pem.decode(key.getPublicKeyPem(), "RSA"),
                Api.destination(org, "dev", "GRPC_RAW"),
                rawCanary.getBytes(StandardCharsets.UTF_8));
        Grpc.secrets(org.adminKey())
                .storeSecret(StoreSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("GRPC_RAW")
                        .setSealed(true)
                        .setEncryptedValue(rawSealed)
                        .build());
        Api.value(Grpc.retrieve(org.adminKey(), org.id(), "dev", null, null), "GRPC_RAW");
        Grpc.secrets(org.adminKey())
                .listSecrets(ListSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .build());
        List<String> descriptions = List.of(
                Grpc.failure(() -> Grpc.secrets(org.adminKey())
                                .storeSecret(StoreSecretRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .setName("1_INVALID")
                                        .setSealed(true)
                                        .setEncryptedValue(rawSealed)
                                        .build()))
                        .description(),
                Grpc.failure(() -> Grpc.secrets(org.adminKey())
                                .storeSecret(StoreSecretRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .setName("UNSEALED")
                                        .setSealed(true)
                                        .setEncryptedValue(canary)
                                        .build()))
                        .description(),
                Grpc.failure(() -> Grpc.secrets(tokenCanary)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .build()))
                        .description(),
                Grpc.failure(() -> Grpc.secrets(jwtCanary)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .build()))
                        .description());
        Grpc.secrets(org.adminKey())
                .deleteSecret(DeleteSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("GRPC_CANARY")
                        .build());

        assertTrue(Files.exists(PostgresResource.LOG_FILE), "the test log file must exist to be checked");
        String log = Files.readString(PostgresResource.LOG_FILE);
        for (String value : List.of(canary, rawCanary)) {
            for (String form : forms(value)) {
                assertFalse(log.contains(form), "server log contains a canary value");
                descriptions.forEach(
                        d -> assertFalse(d.contains(form), "a status description contains a canary value"));
            }
        }
        for (String token : List.of(tokenCanary, jwtCanary, org.adminKey(), "GRPCCANARYJWT")) {
            assertFalse(log.contains(token), "server log contains a token");
            descriptions.forEach(d -> assertFalse(d.contains(token), "a status description contains a token"));
        }
    }

    private static List<String> forms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return List.of(
                value,
                HexFormat.of().formatHex(bytes),
                Base64.getEncoder().encodeToString(bytes).substring(0, 16),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 16));
    }
}
