package dev.crate.server.service;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.CreateOrganizationRequest;
import dev.crate.protocol.wire.CreatedOrganization;
import dev.crate.protocol.wire.Organization;
import dev.crate.protocol.wire.OrganizationList;
import dev.crate.server.auth.AccessPolicy;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Role;
import dev.crate.server.storage.OrganizationRecord;
import dev.crate.server.storage.OrganizationRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Organizations. A new org gets its built-in environments, org key, transport key pair and, because
 * an API key is bound to a single org, a first admin API key of its own, returned once.
 */
@ApplicationScoped
public class OrganizationService {
    private final AccessPolicy access;
    private final OrganizationRepository organizations;
    private final EnvironmentService environments;
    private final KeyService keys;
    private final ApiKeyService apiKeys;

    OrganizationService(AccessPolicy access, OrganizationRepository organizations, EnvironmentService environments,
            KeyService keys, ApiKeyService apiKeys) {
        this.access = access;
        this.organizations = organizations;
        this.environments = environments;
        this.keys = keys;
        this.apiKeys = apiKeys;
    }

    public Uni<CreatedOrganization> create(Caller caller, CreateOrganizationRequest request) {
        String name = request == null ? null : request.name();
        if (name == null || !Limits.ORGANIZATION_NAME.matcher(name).matches()) {
            throw new CrateException(ErrorCode.INVALID_ORGANIZATION_NAME,
                    "name must be 1 to 64 characters: letters, digits, space, '.', '_' or '-', starting with a letter or digit");
        }
        if (caller.role() != Role.ADMIN) {
            throw new CrateException(ErrorCode.FORBIDDEN, "creating an organization needs an admin credential");
        }
        return keys.newTransportKeyPair().chain(pair -> Panache.withTransaction(() ->
                organizations.findByName(name).chain(existing -> {
                    if (existing != null) {
                        throw new CrateException(ErrorCode.ORGANIZATION_EXISTS, "an organization named '" + name + "' exists");
                    }
                    return provision(name, pair, null, caller.actor());
                })));
    }

    /**
     * Inside the caller's transaction: the org with everything it needs, and its first admin API key
     * ({@code presetKey} when given, else a generated one).
     */
    Uni<CreatedOrganization> provision(String name, TransportKeyPair pair, String presetKey, String createdBy) {
        OrganizationRecord org = new OrganizationRecord();
        org.id = UUID.randomUUID();
        org.name = name;
        org.createdAt = Times.now();
        String secret = presetKey != null ? presetKey : dev.crate.server.auth.ApiKeyFormat.generate();
        return organizations.persist(org)
                .chain(() -> environments.createBuiltins(org.id))
                .chain(() -> keys.provision(org.id, pair))
                .chain(() -> apiKeys.issue(org.id, "bootstrap admin", Role.ADMIN, null, secret, createdBy))
                .map(key -> new CreatedOrganization(org.id, org.name, org.createdAt, key));
    }

    public Uni<OrganizationList> list(Caller caller) {
        List<UUID> ids = caller.orgId().stream().toList();
        return Panache.withSession(() -> organizations.listByIds(ids))
                .map(rows -> new OrganizationList(rows.stream().map(OrganizationService::toWire).toList()));
    }

    public Uni<Organization> get(Caller caller, String orgId) {
        return access.requireMember(caller, orgId).map(OrganizationService::toWire);
    }

    static Organization toWire(OrganizationRecord row) {
        return new Organization(row.id, row.name, row.createdAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
