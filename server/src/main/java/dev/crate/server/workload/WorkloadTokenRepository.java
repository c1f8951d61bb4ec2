package dev.crate.server.workload;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Issued workload tokens (hashes only) and the platform tokens already exchanged. */
@ApplicationScoped
public class WorkloadTokenRepository implements PanacheRepositoryBase<WorkloadTokenRecord, UUID> {

    public Uni<WorkloadTokenRecord> findByHash(byte[] hash) {
        return find("tokenHash", hash).firstResult();
    }

    /**
     * Records that a platform token was exchanged, or finds its earlier exchange, in one statement.
     * Answers until when Crate tokens issued for it may live (epoch seconds): {@code crateExpiry} for a
     * first exchange, the first exchange's expiry for a repeat (docs/API.md, section 14). Exchanges
     * again after that moment are replays and the caller refuses them.
     */
    public Uni<Long> claimExchange(
            String issuer, String tokenId, OffsetDateTime platformExpiry, OffsetDateTime crateExpiry) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into workload_exchanged (issuer, token_id, expires_at, crate_expires_at) "
                                        + "values (:issuer, :id, :exp, :crate) "
                                        + "on conflict (issuer, token_id) do update set issuer = excluded.issuer "
                                        + "returning cast(floor(extract(epoch from crate_expires_at)) as bigint)")
                        .setParameter("issuer", issuer)
                        .setParameter("id", tokenId)
                        .setParameter("exp", platformExpiry)
                        .setParameter("crate", crateExpiry)
                        .getSingleResult())
                .map(epoch -> ((Number) epoch).longValue());
    }

    /** Ends every token exchanged through a binding (its matching rules changed). */
    public Uni<Long> deleteForBinding(UUID bindingId) {
        return delete("bindingId", bindingId);
    }

    /** Drops expired tokens and exchange records (each is useless once expired). */
    public Uni<Integer> deleteExpired(OffsetDateTime now) {
        return delete("expiresAt < ?1", now)
                .map(Long::intValue)
                .chain(tokens -> getSession()
                        .chain(session -> session.createNativeQuery(
                                        "delete from workload_exchanged where expires_at < :now")
                                .setParameter("now", now)
                                .executeUpdate())
                        .map(exchanged -> tokens + exchanged));
    }
}
