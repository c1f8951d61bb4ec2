package dev.crate.server.api.grpc;

import dev.crate.protocol.wire.CreateEnvironmentRequest;
import dev.crate.server.api.grpc.v1.Environment;
import dev.crate.server.api.grpc.v1.EnvironmentsService;
import dev.crate.server.api.grpc.v1.ListEnvironmentsRequest;
import dev.crate.server.api.grpc.v1.ListEnvironmentsResponse;
import dev.crate.server.organizations.EnvironmentService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** {@code crate.secrets.v1.EnvironmentsService}: a thin adapter over {@link EnvironmentService}. */
@GrpcService
public class EnvironmentsGrpcService implements EnvironmentsService {
    private final EnvironmentService environments;
    private final GrpcCallers callers;

    EnvironmentsGrpcService(EnvironmentService environments, GrpcCallers callers) {
        this.environments = environments;
        this.callers = callers;
    }

    @Override
    public Uni<ListEnvironmentsResponse> listEnvironments(ListEnvironmentsRequest request) {
        return callers.current()
                .chain(caller -> environments.list(caller, request.getOrganizationId()))
                .map(list -> ListEnvironmentsResponse.newBuilder()
                        .addAllEnvironments(list.environments().stream()
                                .map(GrpcMessages::environment)
                                .toList())
                        .build());
    }

    @Override
    public Uni<Environment> createEnvironment(dev.crate.server.api.grpc.v1.CreateEnvironmentRequest request) {
        return callers.current()
                .chain(caller -> environments.create(
                        caller, request.getOrganizationId(), new CreateEnvironmentRequest(request.getName())))
                .map(GrpcMessages::environment);
    }
}
