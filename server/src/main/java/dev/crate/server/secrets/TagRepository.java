package dev.crate.server.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The tag catalog of orgs. */
@ApplicationScoped
public class TagRepository implements PanacheRepositoryBase<TagRecord, UUID> {

    public Uni<List<TagRecord>> listForOrg(UUID orgId) {
        return list("orgId = ?1 order by name", orgId);
    }

    public Uni<TagRecord> findByName(UUID orgId, String name) {
        return find("orgId = ?1 and name = ?2", orgId, name).firstResult();
    }

    /** Adds the tags the catalog lacks; safe under concurrent stores of the same new tag. */
    public Uni<Void> ensureExist(UUID orgId, List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return getSession()
                .chain(session -> session.createNativeQuery("insert into tags (id, org_id, name, created_at) "
                                + "select gen_random_uuid(), :org, n, now() from unnest(cast(:names as text[])) as n "
                                + "on conflict (org_id, name) do nothing")
                        .setParameter("org", orgId)
                        .setParameter("names", names.toArray(String[]::new))
                        .executeUpdate())
                .replaceWithVoid();
    }
}
