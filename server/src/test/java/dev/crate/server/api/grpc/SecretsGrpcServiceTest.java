package dev.crate.server.api.grpc;

import static dev.crate.server.testing.Grpc.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.api.grpc.v1.DeleteSecretRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListSecretsResponse;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.SecretMetadata;
import dev.crate.server.api.grpc.v1.StoreSecretRequest;
import dev.crate.server.api.grpc.v1.TagNames;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.Grpc;
import dev.crate.server.testing.Grpc.Failure;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.jose4j.jwe.JsonWebEncryption;
import org.junit.jupiter.api.Test;

/** crate.secrets.v1.SecretsService over a real grpc-java channel to the HTTP port. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SecretsGrpcServiceTest {

    @Test
    void storesListsRetrievesAndDeletesASecret() {
        Org org = Api.newOrg();
        SecretMetadata first =
                Grpc.store(org.adminKey(), org.id(), "dev", "DB_URL", "postgres://one", List.of("backend", "db"));
        assertEquals(1, first.getVersion());
        assertEquals(List.of("backend", "db"), first.getTagsList());
        SecretMetadata second = Grpc.store(org.adminKey(), org.id(), "", "DB_URL", "postgres://two", null);
        assertEquals(2, second.getVersion());
        assertEquals("dev", second.getEnvironment());
        assertEquals(List.of("backend", "db"), second.getTagsList(), "absent tags keep the secret's tags");

        ListSecretsResponse listed = Grpc.secrets(org.adminKey())
                .listSecrets(ListSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .addTags("db")
                        .build());
        assertEquals(1, listed.getSecretsCount());
        assertEquals("DB_URL", listed.getSecrets(0).getName());
        assertTrue(listed.getSecrets(0).getUpdatedAt().getSeconds() > 0);

        RetrievedPayload payload = Grpc.retrieve(org.adminKey(), org.id(), "dev", List.of("DB_URL", "NOPE"), null);
        assertEquals("postgres://two", Api.value(payload, "DB_URL"));
        assertEquals(List.of("NOPE"), payload.missing());

        Grpc.secrets(org.adminKey())
                .deleteSecret(DeleteSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("DB_URL")
                        .build());
        assertEquals(
                0,
                Grpc.secrets(org.adminKey())
                        .listSecrets(ListSecretsRequest.newBuilder()
                                .setOrganizationId(org.id())
                                .build())
                        .getSecretsCount());
        Failure again = failure(() -> Grpc.secrets(org.adminKey())
                .deleteSecret(DeleteSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("DB_URL")
                        .build()));
        assertEquals(Status.Code.NOT_FOUND, again.status());
        assertEquals("secret_not_found", again.code());
    }

    @Test
    void emptyTagNamesClearTheSecretsTags() {
        Org org = Api.newOrg();
        Grpc.store(org.adminKey(), org.id(), "dev", "TAGGED", "v", List.of("a"));
        SecretMetadata cleared = Grpc.store(org.adminKey(), org.id(), "dev", "TAGGED", "v2", List.of());
        assertEquals(List.of(), cleared.getTagsList());
    }

    @Test
    void retrievesWithARsaPemKeyAndTheAnswerIsAStandardJwe() throws Exception {
        Org org = Api.newOrg();
        Grpc.store(org.adminKey(), org.id(), "prod", "API_TOKEN", "tok-123", null);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String sealed = Grpc.secrets(org.adminKey())
                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setEnvironment("prod")
                        .setClientPublicKeyPem(Pem.encode(pair.getPublic()))
                        .build())
                .getSealedPayload();
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setCompactSerialization(sealed);
        jwe.setKey(pair.getPrivate());
        assertEquals("RSA-OAEP-256", jwe.getAlgorithmHeaderValue());
        RetrievedPayload payload = Api.JSON.readValue(jwe.getPlaintextString(), RetrievedPayload.class);
        assertEquals("tok-123", Api.value(payload, "API_TOKEN"));
    }

    @Test
    void acceptsARawRsaOaepSealedValue() {
        Org org = Api.newOrg();
        PublicKey key = Grpc.publicKey(org.adminKey(), org.id());
        assertEquals("RSA-OAEP-256", key.getAlgorithm());
        Grpc.secrets(org.adminKey())
                .storeSecret(StoreSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("RAW")
                        .setSealed(true)
                        .setEncryptedValue(Sealing.sealRaw(
                                Pem.decode(key.getPublicKeyPem(), "RSA"),
                                Api.destination(org, "dev", "RAW"),
                                "raw-value".getBytes(StandardCharsets.UTF_8)))
                        .build());
        assertEquals("raw-value", Api.value(Grpc.retrieve(org.adminKey(), org.id(), "dev", null, null), "RAW"));
    }

    @Test
    void badInputsAnswerInvalidArgumentWithTheCrateCode() {
        Org org = Api.newOrg();
        String token = org.adminKey();
        Map<String, Failure> cases = Map.of(
                "invalid_name",
                        failure(() -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, org.id(), "dev", "1BAD", "v", null)
                                        .build())),
                "unsealed_value_rejected",
                        failure(() -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, org.id(), "dev", "OK", "v", null)
                                        .setSealed(false)
                                        .build())),
                "invalid_sealed_value",
                        failure(() -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, org.id(), "dev", "OK", "v", null)
                                        .setEncryptedValue("bm90IHNlYWxlZA==")
                                        .build())),
                "invalid_environment",
                        failure(() -> Grpc.secrets(token)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .setEnvironment("Not An Env")
                                        .build())),
                "invalid_tag",
                        failure(() -> Grpc.secrets(token)
                                .storeSecret(Grpc.storeRequest(token, org.id(), "dev", "OK", "v", null)
                                        .setTags(TagNames.newBuilder().addNames("UPPER"))
                                        .build())),
                "invalid_client_key",
                        failure(() -> Grpc.secrets(token)
                                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .build())),
                "environment_not_found",
                        failure(() -> Grpc.secrets(token)
                                .listSecrets(ListSecretsRequest.newBuilder()
                                        .setOrganizationId(org.id())
                                        .setEnvironment("nowhere")
                                        .build())),
                "organization_not_found", failure(() -> Grpc.publicKey(token, "not-a-uuid")));
        cases.forEach((code, failure) -> {
            assertEquals(code, failure.code(), code);
            assertEquals(
                    code.endsWith("not_found") ? Status.Code.NOT_FOUND : Status.Code.INVALID_ARGUMENT,
                    failure.status(),
                    code);
            assertFalse(failure.description().contains("Exception"), "no class names in " + failure.description());
        });
    }

    @Test
    void anOversizedValueIsResourceExhausted() {
        Org org = Api.newOrg();
        Failure failure =
                failure(() -> Grpc.store(org.adminKey(), org.id(), "dev", "BIG", "x".repeat(64 * 1024 + 1), null));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure.status());
        assertEquals("value_too_large", failure.code());
    }

    @Test
    void aMessageLargerThanTheBodyLimitIsRefusedByTheTransport() {
        Org org = Api.newOrg();
        Failure failure = failure(() -> Grpc.secrets(org.adminKey())
                .storeSecret(StoreSecretRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setName("HUGE")
                        .setSealed(true)
                        .setEncryptedValue("A".repeat(300 * 1024))
                        .build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure.status());
        assertNull(failure.code(), "refused before any Crate code ran");
    }
}
