package dev.crate.server.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An organization's workload identity bindings (docs/API.md, section 14). Only an admin manages them, and a
 * binding never grants more than the admin creating or changing it holds (403
 * {@code workload_scope_exceeds_creator}); a workload token never manages bindings.
 */
@ApplicationScoped
public class WorkloadIdentityService {
    private static final TypeReference<Map<String, String>> CLAIMS = new TypeReference<>() {};
    private final AccessPolicy access;
    private final WorkloadIdentityRepository bindings;
    private final WorkloadTokenRepository tokens;
    private final AuditService audit;
    private final ObjectMapper json;

    WorkloadIdentityService(
            AccessPolicy access,
            WorkloadIdentityRepository bindings,
            WorkloadTokenRepository tokens,
            AuditService audit,
            ObjectMapper json) {
        this.access = access;
        this.bindings = bindings;
        this.tokens = tokens;
        this.audit = audit;
        this.json = json;
    }

    public Uni<WorkloadIdentity> create(Caller caller, String orgId, WorkloadIdentityRequest request) {
        Binding binding = BindingRules.validate(request);
        return audit.guard(
                caller,
                orgId,
                AuditAction.WORKLOAD_IDENTITY_CREATE,
                null,
                null,
                () -> resolveManager(caller, orgId)
                        .invoke(a -> requireWithin(a, binding))
                        .chain(a -> Panache.withTransaction(() -> {
                            WorkloadIdentityRecord row = new WorkloadIdentityRecord();
                            row.id = UUID.randomUUID();
                            row.orgId = a.org().id;
                            row.createdAt = Times.now();
                            row.createdBy = caller.actor();
                            apply(row, binding);
                            return bindings.persist(row)
                                    .call(saved ->
                                            audit.append(entry(caller, saved, AuditAction.WORKLOAD_IDENTITY_CREATE)));
                        }))
                        .map(this::toWire));
    }

    public Uni<WorkloadIdentityList> list(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> resolveReader(caller, orgId)
                        .chain(a -> Panache.withSession(() -> bindings.listByOrg(a.org().id)))
                        .map(rows -> new WorkloadIdentityList(
                                rows.stream().map(this::toWire).toList())));
    }

    public Uni<WorkloadIdentity> get(Caller caller, String orgId, String bindingId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> resolveReader(caller, orgId)
                        .chain(a -> Panache.withSession(() -> find(a, bindingId)))
                        .map(this::toWire));
    }

    public Uni<WorkloadIdentity> update(Caller caller, String orgId, String bindingId, WorkloadIdentityRequest patch) {
        if (patch == null) {
            throw BindingRules.invalid("a JSON body with the fields to change is required");
        }
        return audit.guard(
                caller,
                orgId,
                AuditAction.WORKLOAD_IDENTITY_UPDATE,
                null,
                null,
                () -> resolveManager(caller, orgId)
                        .chain(a ->
                                Panache.withTransaction(() -> find(a, bindingId).chain(row -> {
                                    Binding before = current(row);
                                    requireWithin(a, before);
                                    Binding merged = BindingRules.validate(merge(row, patch));
                                    requireWithin(a, merged);
                                    apply(row, merged);
                                    row.updatedAt = Times.now();
                                    return endTokensIfRulesChanged(row, before, merged)
                                            .chain(ended -> audit.append(updateEntry(caller, row, ended)))
                                            .replaceWith(row);
                                })))
                        .map(this::toWire));
    }

    /** Deletes the binding and, with it, every token exchanged through it: effective on their next request. */
    public Uni<Void> delete(Caller caller, String orgId, String bindingId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.WORKLOAD_IDENTITY_DELETE,
                null,
                null,
                () -> resolveManager(caller, orgId)
                        .chain(a -> Panache.withTransaction(() -> find(a, bindingId)
                                .invoke(row -> requireWithin(a, current(row)))
                                .call(row -> bindings.delete(row))
                                .call(row -> audit.append(entry(caller, row, AuditAction.WORKLOAD_IDENTITY_DELETE)))
                                .replaceWithVoid())));
    }

    /**
     * A token was exchanged under the rules that held then. Once they change (issuer, audience, subject or
     * claims), a workload they no longer accept must not keep the binding's scope: the binding's tokens end,
     * and each workload exchanges again under the new rules (a platform token may be exchanged again while
     * the first Crate token issued for it would have lived).
     */
    private Uni<Long> endTokensIfRulesChanged(WorkloadIdentityRecord row, Binding before, Binding after) {
        boolean same = before.issuer().equals(after.issuer())
                && before.audience().equals(after.audience())
                && before.subject().equals(after.subject())
                && before.claims().equals(after.claims());
        return same ? Uni.createFrom().item(0L) : tokens.deleteForBinding(row.id);
    }

    private Uni<WorkloadIdentityRecord> find(Access a, String bindingId) {
        UUID id = parse(bindingId);
        return (id == null ? Uni.createFrom().<WorkloadIdentityRecord>nullItem() : bindings.findInOrg(a.org().id, id))
                .onItem()
                .ifNull()
                .failWith(() -> new CrateException(ErrorCode.WORKLOAD_IDENTITY_NOT_FOUND, "no such workload identity"));
    }

    /** Changing bindings: an admin that may write (environment- or tag-scoped admin keys within their scope). */
    private Uni<Access> resolveManager(Caller caller, String orgId) {
        return resolveReader(caller, orgId).invoke(a -> {
            if (a.readOnly()) {
                throw forbidden("a read-only credential cannot manage workload identities");
            }
        });
    }

    private Uni<Access> resolveReader(Caller caller, String orgId) {
        return access.resolve(caller, orgId).invoke(a -> {
            if (caller.kind() == Caller.Kind.WORKLOAD) {
                throw forbidden("a workload token cannot manage workload identities");
            }
            if (a.role() != Role.ADMIN) {
                throw forbidden("workload identities need the admin role in the organization");
            }
        });
    }

    /** The binding's scope lies within what the admin holds: its environments and tags, when it is narrowed. */
    private static void requireWithin(Access admin, Binding binding) {
        if (admin.environments().isPresent()
                && (binding.environments() == null
                        || !admin.environments().get().containsAll(binding.environments()))) {
            throw new CrateException(
                    ErrorCode.WORKLOAD_SCOPE_EXCEEDS_CREATOR,
                    "the binding must be limited to environments within "
                            + admin.environments().get());
        }
        if (admin.tags().isPresent()
                && (binding.tags() == null || !admin.tags().get().containsAll(binding.tags()))) {
            throw new CrateException(
                    ErrorCode.WORKLOAD_SCOPE_EXCEEDS_CREATOR,
                    "the binding must be limited to tags within " + admin.tags().get());
        }
    }

    private static CrateException forbidden(String detail) {
        return new CrateException(ErrorCode.FORBIDDEN, detail);
    }

    private AuditEntry entry(Caller caller, WorkloadIdentityRecord row, AuditAction action) {
        return audit.entry(caller, row.orgId, action, null, null, null).withDetail(audit.detail(detail(row)));
    }

    /** A change's record says how many tokens it ended (changed matching rules), when it ended any. */
    private AuditEntry updateEntry(Caller caller, WorkloadIdentityRecord row, long tokensEnded) {
        Map<String, Object> detail = new HashMap<>(detail(row));
        if (tokensEnded > 0) {
            detail.put("tokens_ended", tokensEnded);
        }
        return audit.entry(caller, row.orgId, AuditAction.WORKLOAD_IDENTITY_UPDATE, null, null, null)
                .withDetail(audit.detail(detail));
    }

    private static Map<String, Object> detail(WorkloadIdentityRecord row) {
        return Map.of(
                "workload_identity_id", row.id.toString(),
                "workload_identity_name", row.name,
                "issuer", row.issuer,
                "role", row.role);
    }

    private void apply(WorkloadIdentityRecord row, Binding b) {
        row.name = b.name();
        row.issuer = b.issuer();
        row.audience = b.audience();
        row.subject = b.subject();
        row.claims = write(b.claims());
        row.role = b.role().wire();
        row.grants = b.grants().toStored();
        row.environments = b.environments() == null ? null : b.environments().toArray(String[]::new);
        row.tags = b.tags() == null ? null : b.tags().toArray(String[]::new);
        row.readOnly = b.readOnly();
        row.tokenTtlSeconds = b.tokenTtlSeconds();
    }

    private Binding current(WorkloadIdentityRecord row) {
        return new Binding(
                row.name,
                row.issuer,
                row.audience,
                row.subject,
                claims(row),
                Role.parse(row.role),
                Grants.fromStored(row.grants),
                row.environments == null ? null : List.of(row.environments),
                row.tags == null ? null : List.of(row.tags),
                row.readOnly,
                row.tokenTtlSeconds);
    }

    /** A PATCH: the stored binding with the given fields replaced. */
    private WorkloadIdentityRequest merge(WorkloadIdentityRecord row, WorkloadIdentityRequest patch) {
        return new WorkloadIdentityRequest(
                patch.name() != null ? patch.name() : row.name,
                patch.issuer() != null ? patch.issuer() : row.issuer,
                patch.audience() != null ? patch.audience() : row.audience,
                patch.subject() != null ? patch.subject() : row.subject,
                patch.claims() != null ? patch.claims() : claims(row),
                patch.role() != null ? patch.role() : row.role,
                patch.grants() != null
                        ? patch.grants()
                        : Grants.fromStored(row.grants).toWire(),
                patch.environments() != null
                        ? patch.environments()
                        : row.environments == null ? null : List.of(row.environments),
                patch.tags() != null ? patch.tags() : row.tags == null ? null : List.of(row.tags),
                patch.readOnly() != null ? patch.readOnly() : row.readOnly,
                patch.tokenTtlSeconds() != null ? patch.tokenTtlSeconds() : row.tokenTtlSeconds);
    }

    Map<String, String> claims(WorkloadIdentityRecord row) {
        try {
            return row.claims == null ? Map.of() : json.readValue(row.claims, CLAIMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored claim rules are not a JSON object", e);
        }
    }

    private String write(Map<String, String> claims) {
        try {
            return json.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    WorkloadIdentity toWire(WorkloadIdentityRecord row) {
        return new WorkloadIdentity(
                row.id,
                row.name,
                row.issuer,
                row.audience,
                row.subject,
                claims(row),
                row.role,
                Grants.fromStored(row.grants).toWire(),
                row.environments == null ? null : List.of(row.environments),
                row.tags == null ? null : List.of(row.tags),
                row.readOnly,
                row.tokenTtlSeconds,
                utc(row.createdAt),
                row.createdBy,
                utc(row.updatedAt));
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static UUID parse(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
