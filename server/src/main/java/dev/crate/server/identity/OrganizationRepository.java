package dev.crate.server.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Organizations. */
@ApplicationScoped
public class OrganizationRepository implements PanacheRepositoryBase<OrganizationRecord, UUID> {

    public Uni<OrganizationRecord> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<List<OrganizationRecord>> listByIds(Collection<UUID> ids) {
        return list("id in ?1 order by name", ids);
    }
}
