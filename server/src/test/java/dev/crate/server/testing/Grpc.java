package dev.crate.server.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorInfo;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.server.api.grpc.v1.EnvironmentsServiceGrpc;
import dev.crate.server.api.grpc.v1.GetPublicKeyRequest;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.SecretMetadata;
import dev.crate.server.api.grpc.v1.SecretNames;
import dev.crate.server.api.grpc.v1.SecretsServiceGrpc;
import dev.crate.server.api.grpc.v1.StoreSecretRequest;
import dev.crate.server.api.grpc.v1.TagNames;
import dev.crate.server.api.grpc.v1.TagsServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** A real grpc-java client on the test server's HTTP port (h2c), and what a well-behaved gRPC client does. */
public final class Grpc {
    private static ManagedChannel channel;

    private Grpc() {}

    /** One plaintext HTTP/2 channel to the port REST Assured talks to. */
    public static synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port)
                    .usePlaintext()
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return channel;
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}; a null token sends none. */
    public static <S extends AbstractStub<S>> S as(String token, S stub) {
        S withDeadline = stub.withDeadlineAfter(30, TimeUnit.SECONDS);
        if (token == null) {
            return withDeadline;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return withDeadline.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public static SecretsServiceGrpc.SecretsServiceBlockingStub secrets(String token) {
        return as(token, SecretsServiceGrpc.newBlockingStub(channel()));
    }

    public static TagsServiceGrpc.TagsServiceBlockingStub tags(String token) {
        return as(token, TagsServiceGrpc.newBlockingStub(channel()));
    }

    public static EnvironmentsServiceGrpc.EnvironmentsServiceBlockingStub environments(String token) {
        return as(token, EnvironmentsServiceGrpc.newBlockingStub(channel()));
    }

    /** A failed call as a client sees it: the status code and the Crate code of its ErrorInfo. */
    public record Failure(Status.Code status, String code, String description, StatusRuntimeException exception) {}

    public static Failure failure(Executable call) {
        try {
            call.execute();
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            String code = null;
            if (details != null) {
                for (com.google.protobuf.Any any : details.getDetailsList()) {
                    if (any.is(ErrorInfo.class)) {
                        try {
                            ErrorInfo info = any.unpack(ErrorInfo.class);
                            if (!"crate.dev".equals(info.getDomain())) {
                                throw new AssertionError("ErrorInfo of another domain: " + info.getDomain());
                            }
                            code = info.getReason();
                        } catch (InvalidProtocolBufferException bad) {
                            throw new AssertionError("unreadable ErrorInfo", bad);
                        }
                    }
                }
            }
            return new Failure(e.getStatus().getCode(), code, e.getStatus().getDescription(), e);
        } catch (Throwable other) {
            throw new AssertionError("expected a gRPC status, got " + other, other);
        }
        throw new AssertionError("the call succeeded; a failure was expected");
    }

    public static <T> T ok(Supplier<T> call) {
        return call.get();
    }

    public static PublicKey publicKey(String token, String orgId) {
        return secrets(token)
                .getPublicKey(GetPublicKeyRequest.newBuilder()
                        .setOrganizationId(orgId)
                        .build());
    }

    public static StoreSecretRequest.Builder storeRequest(
            String token, String orgId, String env, String name, String value, List<String> tags) {
        PublicKey key = publicKey(token, orgId);
        StoreSecretRequest.Builder request = StoreSecretRequest.newBuilder()
                .setOrganizationId(orgId)
                .setName(name)
                .setEnvironment(env)
                .setSealed(true)
                .setEncryptedValue(Sealing.sealJwe(
                        key.getPublicKeyPem(),
                        key.getKid(),
                        new dev.crate.protocol.sealing.Destination(
                                orgId,
                                env == null || env.isEmpty() ? dev.crate.protocol.Limits.DEFAULT_ENVIRONMENT : env,
                                name),
                        value));
        if (tags != null) {
            request.setTags(TagNames.newBuilder().addAllNames(tags));
        }
        return request;
    }

    public static SecretMetadata store(
            String token, String orgId, String env, String name, String value, List<String> tags) {
        return secrets(token)
                .storeSecret(storeRequest(token, orgId, env, name, value, tags).build());
    }

    public static Struct struct(Object jwk) {
        try {
            Struct.Builder builder = Struct.newBuilder();
            JsonFormat.parser().merge(Api.JSON.writeValueAsString(jwk), builder);
            return builder.build();
        } catch (Exception e) {
            throw new AssertionError("JWK is not a JSON object", e);
        }
    }

    /** Retrieves with a temporary EC key (as a JWK Struct) and opens the answer; null names: not given. */
    public static RetrievedPayload retrieve(
            String token, String orgId, String env, List<String> names, List<String> tags) {
        return retrieve(token, orgId, env, names, tags, null);
    }

    /** As {@link #retrieve(String, String, String, List, List)}, with pinned versions by name. */
    public static RetrievedPayload retrieve(
            String token,
            String orgId,
            String env,
            List<String> names,
            List<String> tags,
            Map<String, Integer> versions) {
        TemporaryKey key = TemporaryKey.generate();
        RetrieveSecretsRequest.Builder request = RetrieveSecretsRequest.newBuilder()
                .setOrganizationId(orgId)
                .setEnvironment(env)
                .setClientPublicJwk(struct(key.publicJwk()));
        if (names != null) {
            request.setNames(SecretNames.newBuilder().addAllNames(names));
        }
        if (tags != null) {
            request.addAllTags(tags);
        }
        if (versions != null) {
            request.putAllVersions(versions);
        }
        String sealed = secrets(token).retrieveSecrets(request.build()).getSealedPayload();
        try {
            return Api.JSON.readValue(new String(key.open(sealed), StandardCharsets.UTF_8), RetrievedPayload.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("payload is not the documented JSON", e);
        }
    }
}
