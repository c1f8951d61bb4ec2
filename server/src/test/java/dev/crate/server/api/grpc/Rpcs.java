package dev.crate.server.api.grpc;

import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.api.grpc.v1.CreateEnvironmentRequest;
import dev.crate.server.api.grpc.v1.DeleteSecretRequest;
import dev.crate.server.api.grpc.v1.DeleteTagRequest;
import dev.crate.server.api.grpc.v1.EnvironmentsServiceGrpc;
import dev.crate.server.api.grpc.v1.GetPublicKeyRequest;
import dev.crate.server.api.grpc.v1.ListEnvironmentsRequest;
import dev.crate.server.api.grpc.v1.ListSecretVersionsRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListTagsRequest;
import dev.crate.server.api.grpc.v1.PutTagRequest;
import dev.crate.server.api.grpc.v1.RestoreSecretRequest;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.RollbackSecretRequest;
import dev.crate.server.api.grpc.v1.SecretsServiceGrpc;
import dev.crate.server.api.grpc.v1.StoreSecretRequest;
import dev.crate.server.api.grpc.v1.TagMetadata;
import dev.crate.server.api.grpc.v1.TagsServiceGrpc;
import dev.crate.server.testing.Grpc;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Every RPC of crate.secrets.v1 with harmless valid inputs and its rule in the permission table of
 * docs/SECURITY.md, for the matrix tests. {@link #served()} lists what the services declare, so a new
 * RPC fails the tests until it is added here.
 */
final class Rpcs {
    enum Rule {
        ANY,
        ADMIN,
        READ,
        WRITE
    }

    interface Call {
        void run(String token, String orgId, String env, String name);
    }

    record Rpc(String method, Rule rule, Call call) {
        Outcome outcome(String token, String orgId, String env, String name) {
            try {
                call.run(token, orgId, env, name);
                return Outcome.OK;
            } catch (StatusRuntimeException e) {
                com.google.rpc.Status details = StatusProto.fromThrowable(e);
                String code = null;
                if (details != null) {
                    for (var any : details.getDetailsList()) {
                        if (any.is(com.google.rpc.ErrorInfo.class)) {
                            try {
                                code = any.unpack(com.google.rpc.ErrorInfo.class)
                                        .getReason();
                            } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                                throw new AssertionError(bad);
                            }
                        }
                    }
                }
                return new Outcome(e.getStatus().getCode(), code, e.getStatus().getDescription());
            }
        }

        /** Tags take tag names, secrets secret names. */
        String defaultName() {
            return method.contains("Tag") ? "matrix-none" : "MATRIX_NONE";
        }
    }

    record Outcome(Status.Code status, String code, String description) {
        static final Outcome OK = new Outcome(Status.Code.OK, null, null);

        boolean denied() {
            return status == Status.Code.PERMISSION_DENIED && "forbidden".equals(code);
        }

        /** Past authentication, the org check and the role check (a not-found secret or a bad sealed value is fine). */
        boolean reached() {
            return status != Status.Code.UNAUTHENTICATED
                    && status != Status.Code.PERMISSION_DENIED
                    && status != Status.Code.INTERNAL
                    && status != Status.Code.UNKNOWN
                    && !"organization_not_found".equals(code);
        }
    }

    static final List<Rpc> ALL = List.of(
            new Rpc(
                    "crate.secrets.v1.SecretsService/StoreSecret",
                    Rule.WRITE,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .storeSecret(StoreSecretRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .setEncryptedValue("AAAA")
                                    .setSealed(true)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/ListSecrets",
                    Rule.ANY,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .listSecrets(ListSecretsRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/GetPublicKey",
                    Rule.ANY,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .getPublicKey(GetPublicKeyRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/RetrieveSecrets",
                    Rule.READ,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setClientPublicJwk(
                                            Grpc.struct(TemporaryKey.generate().publicJwk()))
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/DeleteSecret",
                    Rule.WRITE,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .deleteSecret(DeleteSecretRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .build())),
            // purge: the same RPC, the same rule
            new Rpc(
                    "crate.secrets.v1.SecretsService/DeleteSecret",
                    Rule.WRITE,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .deleteSecret(DeleteSecretRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .setPurge(true)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/ListSecretVersions",
                    Rule.ANY,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .listSecretVersions(ListSecretVersionsRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/RollbackSecret",
                    Rule.WRITE,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .rollbackSecret(RollbackSecretRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .setVersion(1)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.SecretsService/RestoreSecret",
                    Rule.WRITE,
                    (t, o, e, n) -> Grpc.secrets(t)
                            .restoreSecret(RestoreSecretRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setEnvironment(e)
                                    .setName(n)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.TagsService/ListTags",
                    Rule.ANY,
                    (t, o, e, n) -> Grpc.tags(t)
                            .listTags(ListTagsRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.TagsService/PutTag",
                    Rule.ADMIN,
                    (t, o, e, n) -> Grpc.tags(t)
                            .putTag(PutTagRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setName(n)
                                    .setMetadata(TagMetadata.newBuilder().setColor("#00ff00"))
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.TagsService/DeleteTag",
                    Rule.ADMIN,
                    (t, o, e, n) -> Grpc.tags(t)
                            .deleteTag(DeleteTagRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setName(n)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.EnvironmentsService/ListEnvironments",
                    Rule.ANY,
                    (t, o, e, n) -> Grpc.environments(t)
                            .listEnvironments(ListEnvironmentsRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .build())),
            new Rpc(
                    "crate.secrets.v1.EnvironmentsService/CreateEnvironment",
                    Rule.ADMIN,
                    (t, o, e, n) -> Grpc.environments(t)
                            .createEnvironment(CreateEnvironmentRequest.newBuilder()
                                    .setOrganizationId(o)
                                    .setName("m-" + UUID.randomUUID().toString().substring(0, 8))
                                    .build())));

    /** Every RPC the three services declare. */
    static List<String> served() {
        List<String> methods = new ArrayList<>();
        Stream.of(
                        SecretsServiceGrpc.getServiceDescriptor(),
                        TagsServiceGrpc.getServiceDescriptor(),
                        EnvironmentsServiceGrpc.getServiceDescriptor())
                .flatMap(d -> d.getMethods().stream())
                .map(MethodDescriptor::getFullMethodName)
                .forEach(methods::add);
        return methods;
    }

    private Rpcs() {}
}
