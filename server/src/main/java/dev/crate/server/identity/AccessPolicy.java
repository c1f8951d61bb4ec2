package dev.crate.server.identity;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.ApiKeyScope;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves what a caller may do in an org. An org the caller cannot see answers exactly like one
 * that does not exist (404 {@code organization_not_found}); too little role is a 403 later, from {@link Access}.
 */
@ApplicationScoped
public class AccessPolicy {
    private final CallerCache cache;
    private final MemberRepository members;

    AccessPolicy(CallerCache cache, MemberRepository members) {
        this.cache = cache;
        this.members = members;
    }

    public Uni<Access> resolve(Caller caller, String orgId) {
        UUID id = parse(orgId);
        if (id == null) {
            return Uni.createFrom().failure(orgNotFound());
        }
        if (caller.apiKey().isPresent()) {
            ApiKeyScope key = caller.apiKey().get();
            if (!key.orgId().equals(id)) {
                return Uni.createFrom().failure(orgNotFound());
            }
            return cache.organization(id)
                    .onItem()
                    .ifNull()
                    .failWith(AccessPolicy::orgNotFound)
                    .map(org ->
                            new Access(org, key.role(), key.grants(), key.environments(), key.tags(), key.readOnly()));
        }
        // a user's membership (role, grants, removal) is read on every request: it is not cached
        return cache.organization(id)
                .onItem()
                .ifNull()
                .failWith(AccessPolicy::orgNotFound)
                .chain(org ->
                        Panache.withSession(() -> members.findFor(org.id, caller.subject(), caller.verifiedEmail())
                                .onItem()
                                .ifNull()
                                .failWith(AccessPolicy::orgNotFound)
                                .call(member -> member.subject == null
                                        ? bind(member, caller)
                                        : Uni.createFrom().voidItem())
                                .map(member -> userAccess(org, member))));
    }

    /**
     * A membership addressed to a verified email belongs to that user's subject from first use on. The
     * only write on this path, so only this step runs in a transaction.
     */
    private Uni<Void> bind(MemberRecord member, Caller caller) {
        return Panache.withTransaction(() ->
                        members.update("subject = ?1 where id = ?2 and subject is null", caller.subject(), member.id))
                .replaceWithVoid();
    }

    private static Access userAccess(OrganizationRecord org, MemberRecord member) {
        return new Access(
                org,
                Role.parse(member.role),
                Grants.fromStored(member.grants),
                Optional.empty(),
                Optional.empty(),
                false);
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
