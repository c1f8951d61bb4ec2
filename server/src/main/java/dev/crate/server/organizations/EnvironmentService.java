package dev.crate.server.organizations;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.CreateEnvironmentRequest;
import dev.crate.protocol.wire.Environment;
import dev.crate.protocol.wire.EnvironmentList;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Validation;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.support.Times;
import dev.crate.server.support.UniqueViolation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Environments: {@code dev}, {@code staging}, {@code prod} in every org, plus any an admin adds. */
@ApplicationScoped
public class EnvironmentService {
    public static final List<String> BUILTIN = List.of("dev", "staging", "prod");

    private final AccessPolicy access;
    private final EnvironmentRepository environments;
    private final AuditService audit;

    EnvironmentService(AccessPolicy access, EnvironmentRepository environments, AuditService audit) {
        this.audit = audit;
        this.access = access;
        this.environments = environments;
    }

    public Uni<EnvironmentList> list(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> access.resolve(caller, orgId)
                        .chain(a -> Panache.withSession(() -> environments.listForOrg(a.org().id)))
                        .map(rows -> new EnvironmentList(
                                rows.stream().map(EnvironmentService::toWire).toList())));
    }

    public Uni<Environment> create(Caller caller, String orgId, CreateEnvironmentRequest request) {
        if (request == null || request.name() == null || request.name().isEmpty()) {
            throw new CrateException(ErrorCode.INVALID_ENVIRONMENT, "name is required");
        }
        String name = Validation.environment(request.name());
        return audit.guard(
                caller,
                orgId,
                AuditAction.ENVIRONMENT_CREATE,
                name,
                null,
                () -> access.resolve(caller, orgId)
                        .map(a -> a.requireAdmin().org())
                        .chain(org -> Panache.withTransaction(() -> environments
                                        .findByName(org.id, name)
                                        .chain(existing -> {
                                            if (existing != null) {
                                                throw exists(name);
                                            }
                                            EnvironmentRecord row = record(org.id, name, false);
                                            return environments
                                                    .persist(row)
                                                    .map(EnvironmentService::toWire)
                                                    .call(created -> audit.append(audit.entry(
                                                            caller,
                                                            org.id,
                                                            AuditAction.ENVIRONMENT_CREATE,
                                                            name,
                                                            null,
                                                            null)));
                                        }))
                                // a concurrent create of the same name committed first: the unique index decides
                                .onFailure(UniqueViolation::in)
                                .transform(e -> exists(name))));
    }

    private static CrateException exists(String name) {
        return new CrateException(ErrorCode.ENVIRONMENT_EXISTS, "environment '" + name + "' already exists");
    }

    /** Inside the caller's transaction: the built-in environments of a new org. */
    Uni<Void> createBuiltins(UUID orgId) {
        List<EnvironmentRecord> rows =
                BUILTIN.stream().map(name -> record(orgId, name, true)).toList();
        return environments.persist(rows.stream()).replaceWithVoid();
    }

    private static EnvironmentRecord record(UUID orgId, String name, boolean builtin) {
        EnvironmentRecord row = new EnvironmentRecord();
        row.id = UUID.randomUUID();
        row.orgId = orgId;
        row.name = name;
        row.builtin = builtin;
        row.createdAt = Times.now();
        return row;
    }

    static Environment toWire(EnvironmentRecord row) {
        return new Environment(row.name, row.builtin, row.createdAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
