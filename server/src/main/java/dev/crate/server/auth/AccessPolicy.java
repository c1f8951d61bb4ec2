package dev.crate.server.auth;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Role;
import dev.crate.server.storage.OrganizationRecord;
import dev.crate.server.storage.OrganizationRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Who may do what in which org. An org the caller cannot see answers exactly like one that does not
 * exist (404); an org it sees with too little role answers 403.
 */
@ApplicationScoped
public class AccessPolicy {
    private final OrganizationRepository organizations;

    AccessPolicy(OrganizationRepository organizations) {
        this.organizations = organizations;
    }

    /** The org, when the caller is its admin. */
    public Uni<OrganizationRecord> requireAdmin(Caller caller, String orgId) {
        return requireMember(caller, orgId).invoke(org -> {
            if (caller.role() != Role.ADMIN) {
                throw new CrateException(ErrorCode.FORBIDDEN, "this operation needs the admin role in the organization");
            }
        });
    }

    /** The org, when the caller belongs to it with any role. */
    public Uni<OrganizationRecord> requireMember(Caller caller, String orgId) {
        UUID id = parse(orgId);
        if (id == null || caller.orgId().filter(id::equals).isEmpty()) {
            return Uni.createFrom().failure(orgNotFound());
        }
        return Panache.withSession(() -> organizations.findById(id))
                .onItem().ifNull().failWith(AccessPolicy::orgNotFound);
    }

    public static CrateException orgNotFound() {
        return new CrateException(ErrorCode.ORGANIZATION_NOT_FOUND, "no such organization");
    }

    private static UUID parse(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
