package dev.crate.server.audit;

import java.util.Arrays;
import java.util.Optional;

/** What an audit record is about. The wire names are stable: exports and filters use them. */
public enum AuditAction {
    SECRET_READ("secret.read"),
    SECRET_WRITE("secret.write"),
    SECRET_DELETE("secret.delete"),
    SECRET_RESTORE("secret.restore"),
    SECRET_PURGE("secret.purge"),
    SECRET_ROLLBACK("secret.rollback"),
    SECRET_VERSIONS_PRUNED("secret.versions_pruned"),
    MEMBER_ADD("member.add"),
    MEMBER_UPDATE("member.update"),
    MEMBER_REMOVE("member.remove"),
    API_KEY_CREATE("api_key.create"),
    API_KEY_REVOKE("api_key.revoke"),
    /** A platform token exchanged for a workload token, or refused (docs/API.md, section 14). */
    WORKLOAD_EXCHANGE("workload.exchange"),
    WORKLOAD_IDENTITY_CREATE("workload_identity.create"),
    WORKLOAD_IDENTITY_UPDATE("workload_identity.update"),
    WORKLOAD_IDENTITY_DELETE("workload_identity.delete"),
    ENVIRONMENT_CREATE("environment.create"),
    TAG_PUT("tag.put"),
    TAG_DELETE("tag.delete"),
    ORGANIZATION_CREATE("organization.create"),
    /** For the key rotation endpoints and jobs. */
    KEY_ROTATE("key.rotate"),
    TRANSPORT_KEY_ROTATE("transport_key.rotate"),
    ROOT_KEY_ROTATE("root_key.rotate"),
    /** Any other attempt that was denied (the action it was denied is known only by route). */
    ACCESS("access"),
    AUDIT_READ("audit.read"),
    AUDIT_EXPORT("audit.export"),
    AUDIT_VERIFY("audit.verify"),
    AUDIT_RETENTION("audit.retention");

    private final String wire;

    AuditAction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<AuditAction> fromWire(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }
}
