package dev.crate.server.audit;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Where an org's chain starts after retention removed its oldest records: the seq and hash of the last
 * removed one, with an HMAC under a key derived from org key {@code orgKeyVersion}.
 */
@Entity
@Table(name = "audit_checkpoints")
public class AuditCheckpointRecord {
    @Id
    public UUID orgId;

    public long seq;
    public byte[] hash;
    public OffsetDateTime removedBefore;
    public int orgKeyVersion;
    public byte[] mac;
    public OffsetDateTime createdAt;
}
