package dev.crate.server.storage;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Users seen through the identity provider. */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserRecord, UUID> {

    public Uni<UserRecord> findBySubject(String subject) {
        return find("subject", subject).firstResult();
    }

    /** Records the user on first sight and refreshes email and name; safe under concurrent first requests. */
    public Uni<Void> upsert(String subject, String email, String name) {
        return getSession().chain(session -> session.createNativeQuery(
                        "insert into users (id, subject, email, name, created_at, last_seen_at) "
                                + "values (gen_random_uuid(), :subject, :email, :name, now(), now()) "
                                + "on conflict (subject) do update set email = excluded.email, name = excluded.name, "
                                + "last_seen_at = now()")
                .setParameter("subject", subject)
                .setParameter("email", email)
                .setParameter("name", name)
                .executeUpdate())
                .replaceWithVoid();
    }
}
