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
     * Inside the exchange's transaction: claims a platform token for this exchange. False when it was
     * exchanged before (its row stays until the platform token expires).
     */
    public Uni<Boolean> claimExchange(String issuer, String tokenId, OffsetDateTime expiresAt) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into workload_exchanged (issuer, token_id, expires_at) values (:issuer, :id, :exp) "
                                        + "on conflict do nothing")
                        .setParameter("issuer", issuer)
                        .setParameter("id", tokenId)
                        .setParameter("exp", expiresAt)
                        .executeUpdate())
                .map(rows -> rows == 1);
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
