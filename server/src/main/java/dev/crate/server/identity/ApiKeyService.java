package dev.crate.server.identity;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.ApiKey;
import dev.crate.protocol.wire.ApiKeyList;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.domain.Validation;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Creating, listing and revoking an org's API keys. A key's secret is returned once and stored only
 * hashed. Only an unrestricted admin manages keys, so no key can mint a broader one.
 */
@ApplicationScoped
public class ApiKeyService {
    private final AccessPolicy access;
    private final ApiKeyRepository keys;
    private final MemberRepository members;
    private final AuditService audit;

    ApiKeyService(AccessPolicy access, ApiKeyRepository keys, MemberRepository members, AuditService audit) {
        this.audit = audit;
        this.access = access;
        this.keys = keys;
        this.members = members;
    }

    /** A validated key definition. */
    public record Scope(
            String name,
            Role role,
            Grants grants,
            List<String> environments,
            List<String> tags,
            boolean readOnly,
            OffsetDateTime expiresAt) {
        public static Scope admin(String name) {
            return new Scope(name, Role.ADMIN, Grants.NONE, null, null, false, null);
        }
    }

    public Uni<CreatedApiKey> create(Caller caller, String orgId, CreateApiKeyRequest request) {
        Scope scope = validate(request);
        return audit.guard(
                caller,
                orgId,
                AuditAction.API_KEY_CREATE,
                null,
                null,
                () -> resolveUnrestrictedAdmin(caller, orgId)
                        .chain(a -> Panache.withTransaction(() -> issue(
                                        a.org().id, scope, ApiKeyFormat.generate(), caller.actor())
                                .call(created -> audit.append(keyEntry(
                                        caller,
                                        a.org().id,
                                        AuditAction.API_KEY_CREATE,
                                        created.id(),
                                        created.name(),
                                        created.role()))))));
    }

    private static Scope validate(CreateApiKeyRequest request) {
        if (request == null) {
            throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "a JSON body with name and role is required");
        }
        String name = request.name();
        if (name == null
                || name.isBlank()
                || name.length() > Limits.MAX_API_KEY_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new CrateException(
                    ErrorCode.INVALID_API_KEY_REQUEST, "name is required: 1 to 64 printable characters");
        }
        Role role = Role.parse(request.role() == null ? "admin" : request.role());
        if (request.expiresAt() != null && !request.expiresAt().isAfter(OffsetDateTime.now())) {
            throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "expires_at must be in the future");
        }
        Grants grants = Grants.fromWire(request.grants());
        if (role != Role.MEMBER && !grants.byEnvironment().isEmpty()) {
            throw new CrateException(ErrorCode.INVALID_GRANTS, "grants apply to the member role only");
        }
        List<String> environments = request.environments() == null
                ? null
                : request.environments().stream()
                        .map(Validation::environment)
                        .distinct()
                        .sorted()
                        .toList();
        List<String> tags = request.tags() == null ? null : Validation.tags(request.tags());
        if (environments != null && environments.isEmpty() || tags != null && tags.isEmpty()) {
            throw new CrateException(
                    ErrorCode.INVALID_API_KEY_REQUEST,
                    "environments and tags, when given, name at least one entry (leave them out for no restriction)");
        }
        return new Scope(
                name, role, grants, environments, tags, Boolean.TRUE.equals(request.readOnly()), request.expiresAt());
    }

    /** Inside the caller's transaction: stores a key's hash and returns the key once. */
    public Uni<CreatedApiKey> issue(UUID orgId, Scope scope, String secret, String createdBy) {
        ApiKeyRecord row = new ApiKeyRecord();
        row.id = UUID.randomUUID();
        row.orgId = orgId;
        row.name = scope.name();
        row.role = scope.role().wire();
        row.prefix = ApiKeyFormat.displayPrefix(secret);
        row.keyHash = ApiKeyFormat.hash(secret);
        row.createdAt = Times.now();
        row.createdBy = createdBy;
        row.expiresAt = scope.expiresAt() == null ? null : scope.expiresAt().withOffsetSameInstant(ZoneOffset.UTC);
        row.grants = scope.grants().toStored();
        row.environments =
                scope.environments() == null ? null : scope.environments().toArray(String[]::new);
        row.tags = scope.tags() == null ? null : scope.tags().toArray(String[]::new);
        row.readOnly = scope.readOnly();
        return keys.persist(row).map(saved -> {
            ApiKey wire = toWire(saved);
            return new CreatedApiKey(
                    wire.id(),
                    wire.name(),
                    wire.role(),
                    wire.prefix(),
                    wire.createdAt(),
                    wire.expiresAt(),
                    wire.grants(),
                    wire.environments(),
                    wire.tags(),
                    wire.readOnly(),
                    secret);
        });
    }

    public Uni<ApiKeyList> list(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> resolveUnrestrictedAdmin(caller, orgId)
                        .chain(a -> Panache.withSession(() -> keys.listActive(a.org().id)))
                        .map(rows -> new ApiKeyList(
                                rows.stream().map(ApiKeyService::toWire).toList())));
    }

    public Uni<Void> revoke(Caller caller, String orgId, String keyId) {
        UUID id = parseId(keyId);
        return audit.guard(
                caller,
                orgId,
                AuditAction.API_KEY_REVOKE,
                null,
                null,
                () -> resolveUnrestrictedAdmin(caller, orgId)
                        .chain(a -> Panache.withTransaction(() -> (id == null
                                        ? Uni.createFrom().<ApiKeyRecord>nullItem()
                                        : keys.findActive(a.org().id, id))
                                .onItem()
                                .ifNull()
                                .failWith(() -> new CrateException(ErrorCode.API_KEY_NOT_FOUND, "no such API key"))
                                .call(row -> Role.ADMIN.wire().equals(row.role)
                                        ? requireAnotherAdmin(a.org().id, row.id)
                                        : Uni.createFrom().voidItem())
                                .invoke(row -> row.revokedAt = Times.now())
                                .call(row -> audit.append(keyEntry(
                                        caller, a.org().id, AuditAction.API_KEY_REVOKE, row.id, row.name, row.role)))
                                .replaceWithVoid())));
    }

    /** Names the key by id, name and role: never its secret, hash or prefix. */
    private dev.crate.server.audit.AuditEntry keyEntry(
            Caller caller, UUID orgId, AuditAction action, UUID keyId, String name, String role) {
        return audit.entry(caller, orgId, action, null, null, null)
                .withDetail(audit.detail(
                        java.util.Map.of("api_key_id", keyId.toString(), "api_key_name", name, "role", role)));
    }

    /** An org keeps at least one way in: an admin member or a working admin key other than the one going away. */
    private Uni<Void> requireAnotherAdmin(UUID orgId, UUID leavingKey) {
        return keys.countOtherUsableAdmins(orgId, leavingKey)
                .chain(otherKeys -> members.countBoundAdmins(orgId).invoke(adminMembers -> {
                    if (otherKeys + adminMembers == 0) {
                        throw new CrateException(
                                ErrorCode.LAST_ADMIN,
                                "this is the organization's last admin credential; "
                                        + "add another admin (member or API key) before revoking it");
                    }
                }))
                .replaceWithVoid();
    }

    private Uni<Access> resolveUnrestrictedAdmin(Caller caller, String orgId) {
        return access.resolve(caller, orgId).invoke(a -> {
            if (caller.kind() == Caller.Kind.WORKLOAD) {
                // a short-lived workload token never mints a long-lived key (docs/SECURITY.md, section 3.4)
                throw new CrateException(ErrorCode.FORBIDDEN, "a workload token cannot manage API keys");
            }
            a.requireAdmin();
            if (a.environments().isPresent() || a.tags().isPresent()) {
                throw new CrateException(
                        ErrorCode.FORBIDDEN, "an API key restricted to environments or tags cannot manage keys");
            }
        });
    }

    private static UUID parseId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    static ApiKey toWire(ApiKeyRecord row) {
        return new ApiKey(
                row.id,
                row.name,
                row.role,
                row.prefix,
                utc(row.createdAt),
                utc(row.expiresAt),
                utc(row.lastUsedAt),
                Grants.fromStored(row.grants).toWire(),
                row.environments == null ? null : List.of(row.environments),
                row.tags == null ? null : List.of(row.tags),
                row.readOnly);
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
