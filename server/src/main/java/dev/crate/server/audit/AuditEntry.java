package dev.crate.server.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One audit record before it joins its org's chain. Names what happened to what, by whom and from where;
 * never a value, a token or key material. {@code detail} is a small JSON object (ids, roles, the
 * secrets a read returned) or null.
 */
public record AuditEntry(
        UUID orgId,
        OffsetDateTime occurredAt,
        String actorType,
        String actorId,
        String actorName,
        String action,
        String environment,
        String name,
        Integer version,
        String detail,
        String outcome,
        String reason,
        String clientIp,
        String userAgent,
        String requestId) {

    public static final String SUCCESS = "success";
    public static final String DENIED = "denied";

    public AuditEntry withOrg(UUID org) {
        return new AuditEntry(
                org,
                occurredAt,
                actorType,
                actorId,
                actorName,
                action,
                environment,
                name,
                version,
                detail,
                outcome,
                reason,
                clientIp,
                userAgent,
                requestId);
    }

    public AuditEntry withVersion(Integer newVersion) {
        return new AuditEntry(
                orgId,
                occurredAt,
                actorType,
                actorId,
                actorName,
                action,
                environment,
                name,
                newVersion,
                detail,
                outcome,
                reason,
                clientIp,
                userAgent,
                requestId);
    }

    public AuditEntry withDetail(String newDetail) {
        return new AuditEntry(
                orgId,
                occurredAt,
                actorType,
                actorId,
                actorName,
                action,
                environment,
                name,
                version,
                newDetail,
                outcome,
                reason,
                clientIp,
                userAgent,
                requestId);
    }
}
