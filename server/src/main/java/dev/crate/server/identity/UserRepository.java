package dev.crate.server.identity;

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
    public Uni<Void> upsert(String subject, String email, boolean emailVerified, String name) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into users (id, subject, email, email_verified, name, created_at, last_seen_at) "
                                        + "values (gen_random_uuid(), :subject, :email, :verified, :name, now(), now()) "
                                        + "on conflict (subject) do update set email = excluded.email, "
                                        + "email_verified = excluded.email_verified, name = excluded.name, last_seen_at = now()")
                        .setParameter("subject", subject)
                        .setParameter("email", email)
                        .setParameter("verified", emailVerified)
                        .setParameter("name", name)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
