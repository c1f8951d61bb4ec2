package dev.crate.server.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Org memberships. */
@ApplicationScoped
public class MemberRepository implements PanacheRepositoryBase<MemberRecord, UUID> {

    /** The caller's membership of an org: by subject, or by a verified email not yet bound to a subject. */
    public Uni<MemberRecord> findFor(UUID orgId, String subject, String verifiedEmail) {
        if (verifiedEmail == null) {
            return find("orgId = ?1 and subject = ?2", orgId, subject).firstResult();
        }
        return find(
                        "orgId = ?1 and (subject = ?2 or (subject is null and lower(email) = lower(?3))) order by subject nulls last",
                        orgId,
                        subject,
                        verifiedEmail)
                .firstResult();
    }

    /** Every membership of a user, including those still addressed to the verified email only. */
    public Uni<List<MemberRecord>> listFor(String subject, String verifiedEmail) {
        if (verifiedEmail == null) {
            return list("subject", subject);
        }
        return list("subject = ?1 or (subject is null and lower(email) = lower(?2))", subject, verifiedEmail);
    }

    public Uni<List<MemberRecord>> listForOrg(UUID orgId) {
        return list("orgId = ?1 order by createdAt", orgId);
    }

    public Uni<MemberRecord> findInOrg(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResult();
    }

    /** Admin members bound to a user (a membership still addressed to an email may never be claimed). */
    public Uni<Long> countBoundAdmins(UUID orgId) {
        return count("orgId = ?1 and role = 'admin' and subject is not null", orgId);
    }

    /** Any admin membership, bound or still addressed to an email. */
    public Uni<Long> countAdmins(UUID orgId) {
        return count("orgId = ?1 and role = 'admin'", orgId);
    }

    public Uni<MemberRecord> findByEmailOrSubject(UUID orgId, String subject, String email) {
        if (subject != null) {
            return find("orgId = ?1 and subject = ?2", orgId, subject).firstResult();
        }
        return find("orgId = ?1 and lower(email) = lower(?2)", orgId, email).firstResult();
    }
}
