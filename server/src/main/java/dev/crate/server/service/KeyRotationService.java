package dev.crate.server.service;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.RootKeyStatus;
import dev.crate.protocol.wire.RotateKeysRequest;
import dev.crate.server.auth.Access;
import dev.crate.server.auth.AccessPolicy;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.rotation.KeyStatusQueries;
import dev.crate.server.rotation.RewrapJob;
import dev.crate.server.rotation.RotationEngine;
import dev.crate.server.storage.OrganizationRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Key status and on-demand rotation. Org and transport keys: an org's admins. The root key: the
 * installation's operator, i.e. an admin of the bootstrap organization {@code default}.
 *
 * <p>Each method is a seam for the audit trail: wrapping {@link #rotate} and {@link #rotateRoot}
 * records who rotated what (the returned {@link KeyRotation} says which keys).
 */
@ApplicationScoped
public class KeyRotationService {
    /** The organization whose admins operate the installation (root key). */
    public static final String OPERATOR_ORG = "default";

    private final AccessPolicy access;
    private final RotationEngine engine;
    private final RewrapJob job;
    private final KeyStatusQueries queries;
    private final KeyService keys;
    private final OrganizationRepository organizations;

    KeyRotationService(AccessPolicy access, RotationEngine engine, RewrapJob job, KeyStatusQueries queries, KeyService keys,
            OrganizationRepository organizations) {
        this.access = access;
        this.engine = engine;
        this.job = job;
        this.queries = queries;
        this.keys = keys;
        this.organizations = organizations;
    }

    public Uni<KeyStatus> status(Caller caller, String orgId) {
        return access.resolve(caller, orgId).invoke(Access::requireAdmin)
                .chain(a -> Offload.cpu(() -> queries.orgStatus(a.org().id)));
    }

    public Uni<KeyRotation> rotate(Caller caller, String orgId, RotateKeysRequest request) {
        String tier = request == null || request.tier() == null ? "" : request.tier();
        if (!tier.equals("org") && !tier.equals("transport")) {
            throw new CrateException(ErrorCode.INVALID_ROTATION_REQUEST,
                    "tier must be \"org\" (org key: new data keys at once, existing ones re-wrapped) or \"transport\" "
                            + "(new public key; the old one works for the grace period); the root key is rotated by the operator");
        }
        return access.resolve(caller, orgId).invoke(Access::requireAdmin).chain(a -> {
            UUID id = a.org().id;
            if (tier.equals("org")) {
                return Offload.cpu(() -> engine.rotateOrgKey(id, "api")).invoke(r -> job.kick());
            }
            return keys.newTransportKeyPair()
                    .chain(pair -> Offload.cpu(() -> engine.rotateTransportKey(id, "api", pair)))
                    .invoke(r -> keys.forgetTransportKeys(id));
        });
    }

    public Uni<RootKeyStatus> rootStatus(Caller caller) {
        return requireOperator(caller).chain(() -> Offload.cpu(queries::rootStatus));
    }

    public Uni<KeyRotation> rotateRoot(Caller caller) {
        return requireOperator(caller).chain(() -> Offload.cpu(() -> engine.startRootRotation("operator")))
                .invoke(r -> job.kick());
    }

    /** An admin (full, unscoped) of org {@code default}; anyone else: 403. */
    private Uni<Void> requireOperator(Caller caller) {
        return Panache.withSession(() -> organizations.findByName(OPERATOR_ORG))
                .chain(org -> org == null ? Uni.createFrom().failure(notOperator()) : access.resolve(caller, org.id.toString()))
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
        return new CrateException(ErrorCode.FORBIDDEN,
                "root key operations need the operator: an admin of the organization '" + OPERATOR_ORG + "'");
    }
}
