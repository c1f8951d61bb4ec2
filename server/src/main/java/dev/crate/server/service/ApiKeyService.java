package dev.crate.server.service;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.ApiKey;
import dev.crate.protocol.wire.ApiKeyList;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import dev.crate.server.auth.AccessPolicy;
import dev.crate.server.auth.ApiKeyFormat;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Role;
import dev.crate.server.storage.ApiKeyRecord;
import dev.crate.server.storage.ApiKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Creating, listing and revoking an org's API keys. A key's secret is returned once and stored only hashed. */
@ApplicationScoped
public class ApiKeyService {
    private final AccessPolicy access;
    private final ApiKeyRepository keys;

    ApiKeyService(AccessPolicy access, ApiKeyRepository keys) {
        this.access = access;
        this.keys = keys;
    }

    public Uni<CreatedApiKey> create(Caller caller, String orgId, CreateApiKeyRequest request) {
        if (request == null) {
            throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "a JSON body with name and role is required");
        }
        String name = request.name();
        if (name == null || name.isBlank() || name.length() > Limits.MAX_API_KEY_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "name is required: 1 to 64 printable characters");
        }
        Role role = Role.parse(request.role() == null ? "admin" : request.role());
        if (request.expiresAt() != null && !request.expiresAt().isAfter(OffsetDateTime.now())) {
            throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "expires_at must be in the future");
        }
        return access.requireAdmin(caller, orgId).chain(org -> Panache.withTransaction(() ->
                issue(org.id, name, role, request.expiresAt(), ApiKeyFormat.generate(), caller.actor())));
    }

    /** Inside the caller's transaction: stores a key's hash and returns the key once. */
    Uni<CreatedApiKey> issue(UUID orgId, String name, Role role, OffsetDateTime expiresAt, String secret, String createdBy) {
        ApiKeyRecord row = new ApiKeyRecord();
        row.id = UUID.randomUUID();
        row.orgId = orgId;
        row.name = name;
        row.role = role.wire();
        row.prefix = ApiKeyFormat.displayPrefix(secret);
        row.keyHash = ApiKeyFormat.hash(secret);
        row.createdAt = Times.now();
        row.createdBy = createdBy;
        row.expiresAt = expiresAt == null ? null : expiresAt.withOffsetSameInstant(ZoneOffset.UTC);
        return keys.persist(row).map(saved -> {
            ApiKey wire = toWire(saved);
            return new CreatedApiKey(wire.id(), wire.name(), wire.role(), wire.prefix(), wire.createdAt(), wire.expiresAt(), secret);
        });
    }

    public Uni<ApiKeyList> list(Caller caller, String orgId) {
        return access.requireAdmin(caller, orgId)
                .chain(org -> Panache.withSession(() -> keys.listActive(org.id)))
                .map(rows -> new ApiKeyList(rows.stream().map(ApiKeyService::toWire).toList()));
    }

    public Uni<Void> revoke(Caller caller, String orgId, String keyId) {
        UUID id = parseId(keyId);
        return access.requireAdmin(caller, orgId).chain(org -> Panache.withTransaction(() ->
                (id == null ? Uni.createFrom().<ApiKeyRecord>nullItem() : keys.findActive(org.id, id))
                        .onItem().ifNull().failWith(() -> new CrateException(ErrorCode.API_KEY_NOT_FOUND, "no such API key"))
                        .call(row -> Role.ADMIN.wire().equals(row.role)
                                ? keys.countOtherUsableAdmins(org.id, row.id).invoke(others -> {
                                    if (others == 0) {
                                        throw new CrateException(ErrorCode.LAST_ADMIN, "this is the organization's last "
                                                + "working admin key; create another admin key before revoking it");
                                    }
                                })
                                : Uni.createFrom().voidItem())
                        .invoke(row -> row.revokedAt = Times.now())
                        .replaceWithVoid()));
    }

    private static UUID parseId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    static ApiKey toWire(ApiKeyRecord row) {
        return new ApiKey(row.id, row.name, row.role, row.prefix, utc(row.createdAt), utc(row.expiresAt), utc(row.lastUsedAt));
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
