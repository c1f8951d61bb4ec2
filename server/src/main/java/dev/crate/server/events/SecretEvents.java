package dev.crate.server.events;

import dev.crate.server.notify.Publish;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Records a change in {@code secret_events} and announces it, inside the change's own transaction: the
 * row and the notification commit with the change or not at all. Called by the write paths of
 * {@code secrets} after their audit record, while the org's audit chain head is locked, so the event ids
 * of one org grow in commit order (the streams rely on it, ARCHITECTURE.md section 2).
 */
@ApplicationScoped
public class SecretEvents {
    /** The channel every replica's {@link EventHub} listens on; the payload is {@code <org id>:<event id>}. */
    public static final String CHANNEL = "crate_secret_events";

    public Uni<Void> record(
            UUID orgId, String environment, String name, int version, SecretEventAction action, String[] tags) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into secret_events (org_id, environment, name, version, action, tags, at) "
                                        + "values (:org, :env, :name, :version, :action, cast(:tags as text[]), :at) "
                                        + "returning id",
                                Long.class)
                        .setParameter("org", orgId)
                        .setParameter("env", environment)
                        .setParameter("name", name)
                        .setParameter("version", version)
                        .setParameter("action", action.wire())
                        .setParameter("tags", tags == null ? new String[0] : tags)
                        .setParameter("at", Times.now())
                        .getSingleResult()
                        .chain(id -> Publish.inTransaction(session, CHANNEL, orgId + ":" + id)));
    }
}
