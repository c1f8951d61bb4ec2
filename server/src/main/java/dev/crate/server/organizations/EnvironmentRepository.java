package dev.crate.server.organizations;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Environments of orgs. */
@ApplicationScoped
public class EnvironmentRepository implements PanacheRepositoryBase<EnvironmentRecord, UUID> {

    public Uni<List<EnvironmentRecord>> listForOrg(UUID orgId) {
        return list("orgId = ?1 order by builtin desc, createdAt, name", orgId);
    }

    public Uni<EnvironmentRecord> findByName(UUID orgId, String name) {
        return find("orgId = ?1 and name = ?2", orgId, name).firstResult();
    }
}
