package dev.crate.server.keys;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Wrapped org keys. */
@ApplicationScoped
public class OrgKeyRepository implements PanacheRepositoryBase<OrgKeyRecord, UUID> {

    /** The active version with its row locked until the transaction ends (writers take it; a rotation waits). */
    public Uni<OrgKeyRecord> lockActive(UUID orgId) {
        return find("orgId = ?1 and state = ?2", orgId, OrgKeyState.ACTIVE)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    public Uni<List<OrgKeyRecord>> listForOrg(UUID orgId) {
        return list("orgId = ?1 order by version desc", orgId);
    }

    public Uni<OrgKeyRecord> findVersion(UUID orgId, int version) {
        return find("orgId = ?1 and version = ?2", orgId, version).firstResult();
    }

    /** One (the newest) org key per root kid still in use: enough to prove a root key opens what it must. */
    public Uni<List<OrgKeyRecord>> onePerRootKid() {
        return list(
                "from OrgKeyRecord k where k.state <> ?1 and k.createdAt = "
                        + "(select max(k2.createdAt) from OrgKeyRecord k2 where k2.rootKid = k.rootKid and k2.state <> ?1)",
                OrgKeyState.RETIRED);
    }
}
