package dev.crate.server.keys;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Org transport key pairs. */
@ApplicationScoped
public class TransportKeyRepository implements PanacheRepositoryBase<TransportKeyRecord, UUID> {

    public Uni<TransportKeyRecord> findActive(UUID orgId) {
        return find("orgId = ?1 and state = ?2", orgId, TransportKeyState.ACTIVE)
                .firstResult();
    }

    /** Every transport key of an org, newest first. */
    public Uni<java.util.List<TransportKeyRecord>> listForOrg(UUID orgId) {
        return list("orgId = ?1 order by createdAt desc", orgId);
    }

    /** A key by kid that still opens sealed values (active or in its grace period). */
    public Uni<TransportKeyRecord> findUsable(UUID orgId, String kid) {
        return find("orgId = ?1 and kid = ?2 and state <> ?3", orgId, kid, TransportKeyState.DISABLED)
                .firstResult();
    }
}
