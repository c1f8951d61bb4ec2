package dev.crate.server.audit;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** One audit record in its org's hash chain (see {@link dev.crate.server.audit.AuditChain}). Never a value or token. */
@Entity
@Table(name = "audit_events")
public class AuditEventRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public long seq;
    public OffsetDateTime occurredAt;
    public String actorType;
    public String actorId;
    public String actorName;
    public String action;
    public String environment;
    public String name;
    public Integer version;
    public String detail;
    public String outcome;
    public String reason;
    public String clientIp;
    public String userAgent;
    public String requestId;
    public byte[] prevHash;
    public byte[] hash;

    public static AuditEventRecord of(ChainedEvent event) {
        AuditEntry e = event.entry();
        AuditEventRecord row = new AuditEventRecord();
        row.id = event.id();
        row.orgId = e.orgId();
        row.seq = event.seq();
        row.occurredAt = e.occurredAt();
        row.actorType = e.actorType();
        row.actorId = e.actorId();
        row.actorName = e.actorName();
        row.action = e.action();
        row.environment = e.environment();
        row.name = e.name();
        row.version = e.version();
        row.detail = e.detail();
        row.outcome = e.outcome();
        row.reason = e.reason();
        row.clientIp = e.clientIp();
        row.userAgent = e.userAgent();
        row.requestId = e.requestId();
        row.prevHash = event.prevHash();
        row.hash = event.hash();
        return row;
    }

    public ChainedEvent toEvent() {
        return new ChainedEvent(
                id,
                seq,
                new AuditEntry(
                        orgId,
                        occurredAt.withOffsetSameInstant(ZoneOffset.UTC),
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
                        requestId),
                prevHash,
                hash);
    }
}
