package dev.crate.server.keys.rotation;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.RootKeyStatus;
import dev.crate.protocol.wire.RotateKeysRequest;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.identity.OrganizationRepository;
import dev.crate.server.keys.KeyService;
import dev.crate.server.log.LogId;
import dev.crate.server.support.Offload;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Key status and on-demand rotation. Org and transport keys: an org's admins. The root key: the
 * installation's operator, i.e. an admin of the bootstrap organization {@code default}.
 *
 * <p>Rotations are on the audit trail, denied attempts too. Org and transport key rotations (on demand
 * and scheduled) are recorded by the rotation engine in the rotation's own transaction. A root
 * rotation belongs to no org: it is recorded in the chain of {@code default} right after it committed;
 * a record that cannot be written there is logged ({@code CRATE-0602}) and counted, and the rotation
 * stands (refusing it afterwards would only invite a second rotation).
 */
@ApplicationScoped
public class KeyRotationService {
    private static final Logger LOG = Logger.getLogger(KeyRotationService.class);

    /** The organization whose admins operate the installation (root key). */
    public static final String OPERATOR_ORG = "default";

    private final AccessPolicy access;
    private final RotationEngine engine;
    private final RewrapJob job;
    private final KeyStatusQueries queries;
    private final KeyService keys;
    private final OrganizationRepository organizations;
    private final AuditService audit;

    KeyRotationService(
            AccessPolicy access,
            RotationEngine engine,
            RewrapJob job,
            KeyStatusQueries queries,
            KeyService keys,
            OrganizationRepository organizations,
            AuditService audit) {
        this.audit = audit;
        this.access = access;
        this.engine = engine;
        this.job = job;
        this.queries = queries;
        this.keys = keys;
        this.organizations = organizations;
    }

    public Uni<KeyStatus> status(Caller caller, String orgId) {
        return access.resolve(caller, orgId)
                .invoke(Access::requireAdmin)
                .chain(a -> Offload.cpu(() -> queries.orgStatus(a.org().id)));
    }

    public Uni<KeyRotation> rotate(Caller caller, String orgId, RotateKeysRequest request) {
        String tier = request == null || request.tier() == null ? "" : request.tier();
        if (!tier.equals("org") && !tier.equals("transport")) {
            throw new CrateException(
                    ErrorCode.INVALID_ROTATION_REQUEST,
                    "tier must be \"org\" (org key: new data keys at once, existing ones re-wrapped) or \"transport\" "
                            + "(new public key; the old one works for the grace period); the root key is rotated by the operator");
        }
        AuditAction action = tier.equals("org") ? AuditAction.KEY_ROTATE : AuditAction.TRANSPORT_KEY_ROTATE;
        return audit.guard(
                caller,
                orgId,
                action,
                null,
                null,
                () -> access.resolve(caller, orgId).invoke(Access::requireAdmin).chain(a -> {
                    UUID id = a.org().id;
                    // The engine writes the audit record in the rotation's own transaction.
                    return tier.equals("org")
                            ? Offload.cpu(() -> engine.rotateOrgKey(id, "api", caller))
                                    .invoke(r -> job.kick())
                            : keys.newTransportKeyPair()
                                    .chain(pair ->
                                            Offload.cpu(() -> engine.rotateTransportKey(id, "api", pair, caller)))
                                    .invoke(r -> keys.forgetTransportKeys(id));
                }));
    }

    /** A root rotation's record, after the rotation committed (see the class comment). */
    private Uni<Void> record(Caller caller, UUID orgId, AuditAction action, KeyRotation rotation) {
        Map<String, Object> detail = new HashMap<>();
        detail.put("tier", rotation.tier());
        if (rotation.fromKey() != null) {
            detail.put("from_key", rotation.fromKey());
        }
        if (rotation.toKey() != null) {
            detail.put("to_key", rotation.toKey());
        }
        return audit.commit(audit.entry(caller, orgId, action, null, null, null).withDetail(audit.detail(detail)))
                .onFailure()
                .recoverWithItem(failure -> {
                    LogId.ROTATION_NOT_AUDITED.log(
                            LOG, rotation.tier(), orgId, caller.origin().requestId());
                    return null;
                });
    }

    public Uni<RootKeyStatus> rootStatus(Caller caller) {
        return requireOperator(caller).chain(() -> Offload.cpu(queries::rootStatus));
    }

    public Uni<KeyRotation> rotateRoot(Caller caller) {
        return Panache.withSession(() -> organizations.findByName(OPERATOR_ORG)).chain(operatorOrg -> {
            String operatorOrgId = operatorOrg == null ? null : operatorOrg.id.toString();
            return audit.guard(
                    caller,
                    operatorOrgId,
                    AuditAction.ROOT_KEY_ROTATE,
                    null,
                    null,
                    () -> requireOperator(caller)
                            .chain(() -> Offload.cpu(() -> engine.startRootRotation("operator")))
                            .invoke(r -> job.kick())
                            .call(r -> record(caller, operatorOrg.id, AuditAction.ROOT_KEY_ROTATE, r)));
        });
    }

    /** An admin (full, unscoped) of org {@code default}; anyone else: 403. */
    private Uni<Void> requireOperator(Caller caller) {
        return Panache.withSession(() -> organizations.findByName(OPERATOR_ORG))
                .chain(org -> org == null
                        ? Uni.createFrom().failure(notOperator())
                        : access.resolve(caller, org.id.toString()))
                .onFailure(e -> e instanceof CrateException c && c.code() == ErrorCode.ORGANIZATION_NOT_FOUND)
                .transform(e -> notOperator())
                .invoke(a -> {
                    try {
                        a.requireAdmin();
                    } catch (CrateException e) {
                        throw notOperator();
                    }
                })
                .replaceWithVoid();
    }

    private static CrateException notOperator() {
        return new CrateException(
                ErrorCode.FORBIDDEN,
                "root key operations need the operator: an admin of the organization '" + OPERATOR_ORG + "'");
    }
}
