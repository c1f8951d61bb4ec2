package dev.crate.server.workload;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Bindings, oldest first: the exchange picks the first that matches. */
@ApplicationScoped
public class WorkloadIdentityRepository implements PanacheRepositoryBase<WorkloadIdentityRecord, UUID> {

    public Uni<List<WorkloadIdentityRecord>> listByOrg(UUID orgId) {
        return list("orgId = ?1 order by createdAt, id", orgId);
    }

    public Uni<List<WorkloadIdentityRecord>> listForIssuer(UUID orgId, String issuer) {
        return list("orgId = ?1 and issuer = ?2 order by createdAt, id", orgId, issuer);
    }

    public Uni<WorkloadIdentityRecord> findInOrg(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResult();
    }
}
