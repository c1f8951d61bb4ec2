package dev.crate.server.identity;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.AddMemberRequest;
import dev.crate.protocol.wire.Member;
import dev.crate.protocol.wire.MemberList;
import dev.crate.protocol.wire.UpdateMemberRequest;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.domain.Validation;
import dev.crate.server.support.Times;
import dev.crate.server.support.UniqueViolation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Org membership: who belongs, with which role and grants. Only admins manage it; the last admin stays. */
@ApplicationScoped
public class MemberService {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
    private final AccessPolicy access;
    private final MemberRepository members;
    private final UserRepository users;
    private final dev.crate.server.identity.ApiKeyRepository apiKeys;
    private final AuditService audit;

    MemberService(
            AccessPolicy access,
            MemberRepository members,
            UserRepository users,
            dev.crate.server.identity.ApiKeyRepository apiKeys,
            AuditService audit) {
        this.audit = audit;
        this.apiKeys = apiKeys;
        this.access = access;
        this.members = members;
        this.users = users;
    }

    public Uni<MemberList> list(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> admin(caller, orgId)
                        .chain(a -> Panache.withSession(() -> members.listForOrg(a.org().id)
                                .chain(rows -> {
                                    List<String> subjects = rows.stream()
                                            .map(r -> r.subject)
                                            .filter(java.util.Objects::nonNull)
                                            .toList();
                                    Uni<List<UserRecord>> known = subjects.isEmpty()
                                            ? Uni.createFrom().item(List.of())
                                            : users.list("subject in ?1", subjects);
                                    return known.map(found -> {
                                        java.util.Map<String, UserRecord> bySubject = new java.util.HashMap<>();
                                        found.forEach(u -> bySubject.put(u.subject, u));
                                        return new MemberList(rows.stream()
                                                .map(r -> toWire(r, bySubject.get(r.subject)))
                                                .toList());
                                    });
                                }))));
    }

    public Uni<Member> add(Caller caller, String orgId, AddMemberRequest request) {
        if (request == null || (request.email() == null) == (request.subject() == null)) {
            throw new CrateException(ErrorCode.INVALID_MEMBER_REQUEST, "give exactly one of email or subject");
        }
        Validation.text(request.email(), ErrorCode.INVALID_MEMBER_REQUEST, "email");
        Validation.text(request.subject(), ErrorCode.INVALID_MEMBER_REQUEST, "subject");
        if (request.email() != null && !EMAIL.matcher(request.email()).matches()) {
            throw new CrateException(ErrorCode.INVALID_MEMBER_REQUEST, "email is not an email address");
        }
        if (request.subject() != null
                && (request.subject().isBlank() || request.subject().length() > 255)) {
            throw new CrateException(ErrorCode.INVALID_MEMBER_REQUEST, "subject must be 1 to 255 characters");
        }
        Role role = parseRole(request.role());
        Grants grants = grantsFor(role, Grants.fromWire(request.grants()));
        return audit.guard(
                caller,
                orgId,
                AuditAction.MEMBER_ADD,
                null,
                null,
                () -> admin(caller, orgId)
                        .chain(a -> Panache.withTransaction(() -> resolveSubject(request)
                                        .chain(subject -> members.findByEmailOrSubject(
                                                        a.org().id, subject, request.email())
                                                .chain(existing -> {
                                                    if (existing != null) {
                                                        throw alreadyMember();
                                                    }
                                                    MemberRecord row = new MemberRecord();
                                                    row.id = UUID.randomUUID();
                                                    row.orgId = a.org().id;
                                                    row.subject = subject;
                                                    row.email = request.email();
                                                    row.role = role.wire();
                                                    row.grants = grants.toStored();
                                                    row.createdAt = Times.now();
                                                    row.createdBy = caller.actor();
                                                    return members.persist(row)
                                                            .chain(this::toWire)
                                                            .call(member -> audit.append(memberEntry(
                                                                    caller, a, AuditAction.MEMBER_ADD, row)));
                                                })))
                                // a concurrent add of the same email or subject committed first: the unique index
                                // decides
                                .onFailure(UniqueViolation::in)
                                .transform(e -> alreadyMember())));
    }

    private static CrateException alreadyMember() {
        return new CrateException(ErrorCode.MEMBER_EXISTS, "already a member of this organization");
    }

    public Uni<Member> update(Caller caller, String orgId, String memberId, UpdateMemberRequest request) {
        if (request == null) {
            throw new CrateException(
                    ErrorCode.INVALID_MEMBER_REQUEST, "a JSON body with role and/or grants is required");
        }
        return audit.guard(
                caller,
                orgId,
                AuditAction.MEMBER_UPDATE,
                null,
                null,
                () -> admin(caller, orgId)
                        .chain(a ->
                                Panache.withTransaction(() -> find(a, memberId).chain(row -> {
                                    Role role =
                                            request.role() == null ? Role.parse(row.role) : parseRole(request.role());
                                    Grants grants = request.grants() != null
                                            ? Grants.fromWire(request.grants())
                                            : role == Role.MEMBER ? Grants.fromStored(row.grants) : Grants.NONE;
                                    Uni<Void> guard = Role.ADMIN.wire().equals(row.role) && role != Role.ADMIN
                                            ? requireAnotherAdmin(a.org().id)
                                            : Uni.createFrom().voidItem();
                                    return guard.invoke(() -> {
                                                row.role = role.wire();
                                                row.grants =
                                                        grantsFor(role, grants).toStored();
                                            })
                                            .chain(() -> toWire(row))
                                            .call(member -> audit.append(
                                                    memberEntry(caller, a, AuditAction.MEMBER_UPDATE, row)));
                                }))));
    }

    public Uni<Void> remove(Caller caller, String orgId, String memberId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.MEMBER_REMOVE,
                null,
                null,
                () -> admin(caller, orgId)
                        .chain(a -> Panache.withTransaction(() -> find(a, memberId)
                                .chain(row -> (Role.ADMIN.wire().equals(row.role)
                                                ? requireAnotherAdmin(a.org().id)
                                                : Uni.createFrom().voidItem())
                                        .chain(() -> members.delete(row))
                                        .chain(() -> audit.append(
                                                memberEntry(caller, a, AuditAction.MEMBER_REMOVE, row)))))));
    }

    private dev.crate.server.audit.AuditEntry memberEntry(
            Caller caller, Access a, AuditAction action, MemberRecord row) {
        java.util.Map<String, Object> detail = new java.util.HashMap<>();
        detail.put("member_id", row.id.toString());
        detail.put("role", row.role);
        detail.put("grants", Grants.fromStored(row.grants).toWire());
        if (row.subject != null) {
            detail.put("subject", row.subject);
        }
        if (row.email != null) {
            detail.put("email", row.email);
        }
        return audit.entry(caller, a.org().id, action, null, null, null).withDetail(audit.detail(detail));
    }

    /** Inside the caller's transaction: the user who created an org becomes its admin. */
    public Uni<Void> addCreator(UUID orgId, Caller caller) {
        MemberRecord row = new MemberRecord();
        row.id = UUID.randomUUID();
        row.orgId = orgId;
        row.subject = caller.subject();
        row.email = caller.email();
        row.role = Role.ADMIN.wire();
        row.grants = new String[0];
        row.createdAt = Times.now();
        row.createdBy = caller.actor();
        return members.persist(row).replaceWithVoid();
    }

    /** Inside the caller's transaction: admins named by email in configuration, added once. */
    public Uni<Void> ensureAdminByEmail(UUID orgId, String email) {
        return members.findByEmailOrSubject(orgId, null, email).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            MemberRecord row = new MemberRecord();
            row.id = UUID.randomUUID();
            row.orgId = orgId;
            row.email = email;
            row.role = Role.ADMIN.wire();
            row.grants = new String[0];
            row.createdAt = Times.now();
            row.createdBy = "bootstrap";
            return members.persist(row).replaceWithVoid();
        });
    }

    /** The org ids a caller belongs to. */
    public Uni<List<UUID>> orgIdsOf(Caller caller) {
        if (caller.apiKey().isPresent()) {
            return Uni.createFrom().item(List.of(caller.apiKey().get().orgId()));
        }
        return members.listFor(caller.subject(), caller.verifiedEmail())
                .map(rows -> rows.stream().map(m -> m.orgId).distinct().toList());
    }

    /** An org keeps a way in: another admin member, or a working admin API key. */
    private Uni<Void> requireAnotherAdmin(UUID orgId) {
        return members.countBoundAdmins(orgId)
                .chain(adminMembers -> apiKeys.countOtherUsableAdmins(orgId, new UUID(0, 0))
                        .invoke(adminKeys -> {
                            if (adminMembers - 1 + adminKeys <= 0) {
                                throw new CrateException(
                                        ErrorCode.LAST_ADMIN,
                                        "this is the organization's last admin; " + "make someone else admin first");
                            }
                        }))
                .replaceWithVoid();
    }

    private Uni<Access> admin(Caller caller, String orgId) {
        return access.resolve(caller, orgId).invoke(a -> {
            a.requireAdmin();
            if (a.environments().isPresent() || a.tags().isPresent()) {
                throw new CrateException(
                        ErrorCode.FORBIDDEN, "an API key restricted to environments or tags cannot manage members");
            }
        });
    }

    private Uni<MemberRecord> find(Access a, String memberId) {
        UUID id;
        try {
            id = UUID.fromString(memberId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new CrateException(ErrorCode.MEMBER_NOT_FOUND, "no such member"));
        }
        return members.findInOrg(a.org().id, id)
                .onItem()
                .ifNull()
                .failWith(() -> new CrateException(ErrorCode.MEMBER_NOT_FOUND, "no such member"));
    }

    /**
     * A member added by email of a user Crate has already seen with that email VERIFIED is bound to that
     * user's subject at once; otherwise the membership waits for a verified login.
     */
    private Uni<String> resolveSubject(AddMemberRequest request) {
        if (request.subject() != null) {
            return Uni.createFrom().item(request.subject());
        }
        return users.find("lower(email) = lower(?1) and emailVerified = true", request.email())
                .list()
                .map(found -> found.size() == 1 ? found.get(0).subject : null);
    }

    private static Role parseRole(String role) {
        try {
            return Role.parse(role);
        } catch (CrateException e) {
            throw new CrateException(ErrorCode.INVALID_MEMBER_REQUEST, "role must be one of admin, member, viewer");
        }
    }

    private static Grants grantsFor(Role role, Grants grants) {
        if (role != Role.MEMBER && !grants.byEnvironment().isEmpty()) {
            throw new CrateException(ErrorCode.INVALID_GRANTS, "grants apply to the member role only");
        }
        return grants;
    }

    private Uni<Member> toWire(MemberRecord row) {
        Uni<UserRecord> user = row.subject == null ? Uni.createFrom().nullItem() : users.findBySubject(row.subject);
        return user.map(u -> toWire(row, u));
    }

    private static Member toWire(MemberRecord row, UserRecord user) {
        return new Member(
                row.id,
                row.subject,
                user != null && user.email != null ? user.email : row.email,
                user == null ? null : user.name,
                row.role,
                Grants.fromStored(row.grants).toWire(),
                row.createdAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
