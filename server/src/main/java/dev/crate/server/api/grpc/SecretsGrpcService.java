package dev.crate.server.api.grpc;

import dev.crate.protocol.wire.RollbackRequest;
import dev.crate.server.api.grpc.v1.DeleteSecretRequest;
import dev.crate.server.api.grpc.v1.DeleteSecretResponse;
import dev.crate.server.api.grpc.v1.GetPublicKeyRequest;
import dev.crate.server.api.grpc.v1.ListSecretVersionsRequest;
import dev.crate.server.api.grpc.v1.ListSecretsRequest;
import dev.crate.server.api.grpc.v1.ListSecretsResponse;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.RestoreSecretRequest;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.RetrieveSecretsResponse;
import dev.crate.server.api.grpc.v1.RollbackSecretRequest;
import dev.crate.server.api.grpc.v1.SecretMetadata;
import dev.crate.server.api.grpc.v1.SecretVersionList;
import dev.crate.server.api.grpc.v1.SecretsService;
import dev.crate.server.api.grpc.v1.StoreSecretRequest;
import dev.crate.server.secrets.SecretHistoryService;
import dev.crate.server.secrets.SecretService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * {@code crate.secrets.v1.SecretsService}: a thin adapter over {@link SecretService} and
 * {@link SecretHistoryService}, like {@code SecretsResource}.
 */
@GrpcService
public class SecretsGrpcService implements SecretsService {
    private final SecretService secrets;
    private final SecretHistoryService history;
    private final GrpcCallers callers;

    SecretsGrpcService(SecretService secrets, SecretHistoryService history, GrpcCallers callers) {
        this.secrets = secrets;
        this.history = history;
        this.callers = callers;
    }

    @Override
    public Uni<SecretMetadata> storeSecret(StoreSecretRequest request) {
        return callers.current()
                .chain(caller -> secrets.store(caller, request.getOrganizationId(), GrpcMessages.store(request)))
                .map(GrpcMessages::metadata);
    }

    @Override
    public Uni<ListSecretsResponse> listSecrets(ListSecretsRequest request) {
        return callers.current()
                .chain(caller -> secrets.list(
                        caller,
                        request.getOrganizationId(),
                        GrpcMessages.optional(request.getEnvironment()),
                        GrpcMessages.tagFilter(request.getTagsList())))
                .map(list -> ListSecretsResponse.newBuilder()
                        .addAllSecrets(list.secrets().stream()
                                .map(GrpcMessages::metadata)
                                .toList())
                        .build());
    }

    @Override
    public Uni<PublicKey> getPublicKey(GetPublicKeyRequest request) {
        return callers.current()
                .chain(caller -> secrets.publicKey(caller, request.getOrganizationId()))
                .map(GrpcMessages::publicKey);
    }

    @Override
    public Uni<RetrieveSecretsResponse> retrieveSecrets(RetrieveSecretsRequest request) {
        return callers.current()
                .chain(caller -> secrets.retrieve(caller, request.getOrganizationId(), GrpcMessages.retrieve(request)))
                .map(answer -> {
                    RetrieveSecretsResponse.Builder response =
                            RetrieveSecretsResponse.newBuilder().setSealedPayload(answer.sealedPayload());
                    if (answer.next() != null) {
                        response.setNext(answer.next());
                    }
                    return response.build();
                });
    }

    @Override
    public Uni<DeleteSecretResponse> deleteSecret(DeleteSecretRequest request) {
        String env = GrpcMessages.optional(request.getEnvironment());
        return callers.current()
                .chain(caller -> request.getPurge()
                        ? history.purge(caller, request.getOrganizationId(), request.getName(), env)
                        : secrets.delete(caller, request.getOrganizationId(), request.getName(), env))
                .replaceWith(DeleteSecretResponse.getDefaultInstance());
    }

    @Override
    public Uni<SecretVersionList> listSecretVersions(ListSecretVersionsRequest request) {
        return callers.current()
                .chain(caller -> history.versions(
                        caller,
                        request.getOrganizationId(),
                        request.getName(),
                        GrpcMessages.optional(request.getEnvironment())))
                .map(GrpcMessages::versions);
    }

    @Override
    public Uni<SecretMetadata> rollbackSecret(RollbackSecretRequest request) {
        return callers.current()
                .chain(caller -> history.rollback(
                        caller,
                        request.getOrganizationId(),
                        request.getName(),
                        GrpcMessages.optional(request.getEnvironment()),
                        new RollbackRequest(request.getVersion())))
                .map(GrpcMessages::metadata);
    }

    @Override
    public Uni<SecretMetadata> restoreSecret(RestoreSecretRequest request) {
        return callers.current()
                .chain(caller -> history.restore(
                        caller,
                        request.getOrganizationId(),
                        request.getName(),
                        GrpcMessages.optional(request.getEnvironment())))
                .map(GrpcMessages::metadata);
    }
}
