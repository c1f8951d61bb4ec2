package dev.crate.server.api.grpc;

import dev.crate.server.api.grpc.v1.CreateWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.DeleteWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.DeleteWorkloadIdentityResponse;
import dev.crate.server.api.grpc.v1.ExchangeWorkloadTokenRequest;
import dev.crate.server.api.grpc.v1.ExchangeWorkloadTokenResponse;
import dev.crate.server.api.grpc.v1.GetWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.ListWorkloadIdentitiesRequest;
import dev.crate.server.api.grpc.v1.ListWorkloadIdentitiesResponse;
import dev.crate.server.api.grpc.v1.StringList;
import dev.crate.server.api.grpc.v1.UpdateWorkloadIdentityRequest;
import dev.crate.server.api.grpc.v1.WorkloadIdentity;
import dev.crate.server.api.grpc.v1.WorkloadIdentitySpec;
import dev.crate.server.domain.Caller;
import dev.crate.server.workload.WorkloadExchangeService;
import dev.crate.server.workload.WorkloadIdentityRequest;
import dev.crate.server.workload.WorkloadTokenRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code crate.workload.v1.WorkloadIdentityService}: a thin adapter over the same services as
 * {@code WorkloadIdentitiesResource} and {@code WorkloadTokenResource}. The exchange needs no caller.
 */
@GrpcService
public class WorkloadIdentityGrpcService implements dev.crate.server.api.grpc.v1.WorkloadIdentityService {
    private final dev.crate.server.workload.WorkloadIdentityService bindings;
    private final WorkloadExchangeService exchange;
    private final GrpcCallers callers;

    WorkloadIdentityGrpcService(
            dev.crate.server.workload.WorkloadIdentityService bindings,
            WorkloadExchangeService exchange,
            GrpcCallers callers) {
        this.bindings = bindings;
        this.exchange = exchange;
        this.callers = callers;
    }

    @Override
    public Uni<ExchangeWorkloadTokenResponse> exchangeWorkloadToken(ExchangeWorkloadTokenRequest request) {
        GrpcOrigin origin = callers.origin();
        return exchange.exchange(
                        new WorkloadTokenRequest(
                                request.getSubjectToken(), request.getSubjectTokenType(), request.getOrganization()),
                        new Caller.Origin(origin.clientIp(), origin.userAgent(), origin.requestId()))
                .map(issued -> ExchangeWorkloadTokenResponse.newBuilder()
                        .setAccessToken(issued.accessToken())
                        .setIssuedTokenType(issued.issuedTokenType())
                        .setTokenType(issued.tokenType())
                        .setExpiresIn(issued.expiresIn())
                        .setBinding(issued.binding().toString())
                        .build());
    }

    @Override
    public Uni<WorkloadIdentity> createWorkloadIdentity(CreateWorkloadIdentityRequest request) {
        return callers.current()
                .chain(caller -> bindings.create(caller, request.getOrganizationId(), spec(request.getIdentity())))
                .map(WorkloadIdentityGrpcService::message);
    }

    @Override
    public Uni<ListWorkloadIdentitiesResponse> listWorkloadIdentities(ListWorkloadIdentitiesRequest request) {
        return callers.current()
                .chain(caller -> bindings.list(caller, request.getOrganizationId()))
                .map(list -> ListWorkloadIdentitiesResponse.newBuilder()
                        .addAllWorkloadIdentities(list.workloadIdentities().stream()
                                .map(WorkloadIdentityGrpcService::message)
                                .toList())
                        .build());
    }

    @Override
    public Uni<WorkloadIdentity> getWorkloadIdentity(GetWorkloadIdentityRequest request) {
        return callers.current()
                .chain(caller -> bindings.get(caller, request.getOrganizationId(), request.getId()))
                .map(WorkloadIdentityGrpcService::message);
    }

    @Override
    public Uni<WorkloadIdentity> updateWorkloadIdentity(UpdateWorkloadIdentityRequest request) {
        return callers.current()
                .chain(caller -> bindings.update(
                        caller, request.getOrganizationId(), request.getId(), spec(request.getChanges())))
                .map(WorkloadIdentityGrpcService::message);
    }

    @Override
    public Uni<DeleteWorkloadIdentityResponse> deleteWorkloadIdentity(DeleteWorkloadIdentityRequest request) {
        return callers.current()
                .chain(caller -> bindings.delete(caller, request.getOrganizationId(), request.getId()))
                .replaceWith(DeleteWorkloadIdentityResponse.getDefaultInstance());
    }

    private static WorkloadIdentityRequest spec(WorkloadIdentitySpec spec) {
        Map<String, List<String>> grants = null;
        if (spec.hasGrants()) {
            grants = new TreeMap<>();
            for (Map.Entry<String, StringList> e :
                    spec.getGrants().getGrantsMap().entrySet()) {
                grants.put(e.getKey(), e.getValue().getValuesList());
            }
        }
        return new WorkloadIdentityRequest(
                spec.hasName() ? spec.getName() : null,
                spec.hasIssuer() ? spec.getIssuer() : null,
                spec.hasAudience() ? spec.getAudience() : null,
                spec.hasSubject() ? spec.getSubject() : null,
                spec.hasClaims() ? spec.getClaims().getRulesMap() : null,
                spec.hasRole() ? spec.getRole() : null,
                grants,
                spec.hasEnvironments() ? spec.getEnvironments().getValuesList() : null,
                spec.hasTags() ? spec.getTags().getValuesList() : null,
                spec.hasReadOnly() ? spec.getReadOnly() : null,
                spec.hasTokenTtlSeconds() ? spec.getTokenTtlSeconds() : null);
    }

    private static WorkloadIdentity message(dev.crate.server.workload.WorkloadIdentity binding) {
        WorkloadIdentity.Builder out = WorkloadIdentity.newBuilder()
                .setId(binding.id().toString())
                .setName(binding.name())
                .setIssuer(binding.issuer())
                .setAudience(binding.audience())
                .setSubject(binding.subject())
                .putAllClaims(binding.claims())
                .setRole(binding.role())
                .setReadOnly(binding.readOnly())
                .setTokenTtlSeconds(binding.tokenTtlSeconds())
                .setCreatedAt(binding.createdAt().toString())
                .setCreatedBy(binding.createdBy());
        binding.grants()
                .forEach((env, permissions) -> out.putGrants(
                        env, StringList.newBuilder().addAllValues(permissions).build()));
        if (binding.environments() != null) {
            out.setEnvironments(StringList.newBuilder().addAllValues(binding.environments()));
        }
        if (binding.tags() != null) {
            out.setTags(StringList.newBuilder().addAllValues(binding.tags()));
        }
        if (binding.updatedAt() != null) {
            out.setUpdatedAt(binding.updatedAt().toString());
        }
        return out.build();
    }
}
