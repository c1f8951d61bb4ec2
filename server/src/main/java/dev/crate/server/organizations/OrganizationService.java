package dev.crate.server.organizations;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.CreateOrganizationRequest;
import dev.crate.protocol.wire.CreatedOrganization;
import dev.crate.protocol.wire.Organization;
import dev.crate.protocol.wire.OrganizationList;
import dev.crate.server.audit.AuditService;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Role;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.identity.ApiKeyService;
import dev.crate.server.identity.MemberService;
import dev.crate.server.identity.OrganizationRecord;
import dev.crate.server.identity.OrganizationRepository;
import dev.crate.server.keys.KeyService;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Organizations. A new org gets its built-in environments, org key and transport key pair. A user who
 * creates one becomes its admin; an API key (bound to a single org) gets back a first admin API key
 * of the new org instead, returned once.
 */
@ApplicationScoped
public class OrganizationService {
    private final AccessPolicy access;
    private final OrganizationRepository organizations;
    private final EnvironmentService environments;
    private final KeyService keys;
    private final ApiKeyService apiKeys;
    private final MemberService members;
    private final AuditService audit;
    private final CreationLimit limit;

    OrganizationService(
            AccessPolicy access,
            OrganizationRepository organizations,
            EnvironmentService environments,
            KeyService keys,
            ApiKeyService apiKeys,
            MemberService members,
            AuditService audit,
            CreationLimit limit) {
        this.limit = limit;
        this.audit = audit;
        this.members = members;
        this.access = access;
        this.organizations = organizations;
        this.environments = environments;
        this.keys = keys;
        this.apiKeys = apiKeys;
    }

    public Uni<CreatedOrganization> create(Caller caller, CreateOrganizationRequest request) {
        String name = request == null ? null : request.name();
        if (name == null || !Limits.ORGANIZATION_NAME.matcher(name).matches()) {
            throw new CrateException(
                    ErrorCode.INVALID_ORGANIZATION_NAME,
                    "name must be 1 to 64 characters: letters, digits, space, '.', '_' or '-', starting with a letter or digit");
        }
        if (caller.kind() == Caller.Kind.WORKLOAD) {
            // an organization made by a workload would come with a long-lived admin key (docs/SECURITY.md, 3.4)
            throw new CrateException(ErrorCode.FORBIDDEN, "a workload token cannot create organizations");
        }
        caller.apiKey().ifPresent(key -> {
            if (key.role() != Role.ADMIN
                    || key.readOnly()
                    || key.environments().isPresent()
                    || key.tags().isPresent()) {
                throw new CrateException(
                        ErrorCode.FORBIDDEN, "creating an organization needs an unrestricted admin API key");
            }
        });
        // before the RSA-3072 key generation it bounds
        limit.take(caller.actor());
        return keys.newTransportKeyPair()
                .chain(pair -> Panache.withTransaction(() -> organizations
                        .findByName(name)
                        .chain(existing -> {
                            if (existing != null) {
                                throw new CrateException(
                                        ErrorCode.ORGANIZATION_EXISTS, "an organization named '" + name + "' exists");
                            }
                            Uni<CreatedOrganization> created = caller.kind() == Caller.Kind.USER
                                    ? provision(name, pair).call(org -> members.addCreator(org.id(), caller))
                                    : provision(name, pair, null, caller.actor());
                            // the new org's chain starts with its creation
                            return created.call(org -> audit.append(audit.entry(
                                            caller,
                                            org.id(),
                                            dev.crate.server.audit.AuditAction.ORGANIZATION_CREATE,
                                            null,
                                            null,
                                            null)
                                    .withDetail(audit.detail(java.util.Map.of("name", name)))));
                        })));
    }

    /**
     * Inside the caller's transaction: the org with everything it needs, and its first admin API key
     * ({@code presetKey} when given, else a generated one).
     */
    Uni<CreatedOrganization> provision(String name, TransportKeyPair pair, String presetKey, String createdBy) {
        String secret = presetKey != null ? presetKey : dev.crate.server.identity.ApiKeyFormat.generate();
        return provision(name, pair)
                .chain(org -> apiKeys.issue(org.id(), ApiKeyService.Scope.admin("bootstrap admin"), secret, createdBy)
                        .map(key -> new CreatedOrganization(org.id(), org.name(), org.createdAt(), key)));
    }

    /** Inside the caller's transaction: the org with its environments and keys, no credential yet. */
    private Uni<CreatedOrganization> provision(String name, TransportKeyPair pair) {
        OrganizationRecord org = new OrganizationRecord();
        org.id = UUID.randomUUID();
        org.name = name;
        org.createdAt = Times.now();
        return organizations
                .persist(org)
                .chain(() -> environments.createBuiltins(org.id))
                .chain(() -> keys.provision(org.id, pair))
                .map(ignored -> new CreatedOrganization(org.id, org.name, org.createdAt, null));
    }

    public Uni<OrganizationList> list(Caller caller) {
        return Panache.withSession(() -> members.orgIdsOf(caller).chain(organizations::listByIds))
                .map(rows -> new OrganizationList(
                        rows.stream().map(OrganizationService::toWire).toList()));
    }

    public Uni<Organization> get(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                dev.crate.server.audit.AuditAction.ACCESS,
                null,
                null,
                () -> access.resolve(caller, orgId).map(a -> toWire(a.org())));
    }

    static Organization toWire(OrganizationRecord row) {
        return new Organization(row.id, row.name, row.createdAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
