package dev.crate.server.secrets;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

/** Secrets (metadata rows). */
@ApplicationScoped
public class SecretRepository implements PanacheRepositoryBase<SecretRecord, UUID> {

    /** The secret row locked for update, deleted or not; null when it never existed. */
    public Uni<SecretRecord> findForUpdate(UUID orgId, String environment, String name) {
        return find("orgId = ?1 and environment = ?2 and name = ?3", orgId, environment, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** Creates the row when missing (concurrent creators race safely through the unique key). */
    public Uni<Void> insertIfAbsent(UUID orgId, String environment, String name) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into secrets (id, org_id, environment, name, current_version, tags, created_at, updated_at, deleted_at) "
                                        + "values (gen_random_uuid(), :org, :env, :name, 0, '{}', now(), now(), now()) "
                                        + "on conflict (org_id, environment, name) do nothing")
                        .setParameter("org", orgId)
                        .setParameter("env", environment)
                        .setParameter("name", name)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The secret, deleted or not, once it has a version; null otherwise. */
    public Uni<SecretRecord> findStored(UUID orgId, String environment, String name) {
        return find("orgId = ?1 and environment = ?2 and name = ?3 and currentVersion > 0", orgId, environment, name)
                .firstResult();
    }

    /** How many live secrets of the org carry {@code tag}. */
    public Uni<Long> countLiveWithTag(UUID orgId, String tag) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from secrets where org_id = :org and deleted_at is null and tags @> array[cast(:tag as text)]",
                                Long.class)
                        .setParameter("org", orgId)
                        .setParameter("tag", tag)
                        .getSingleResult());
    }
}
