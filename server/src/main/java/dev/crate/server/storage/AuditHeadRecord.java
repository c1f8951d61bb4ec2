package dev.crate.server.storage;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** The last seq and hash of an org's audit chain; appenders lock it, which orders the chain. */
@Entity
@Table(name = "audit_heads")
public class AuditHeadRecord {
    @Id
    public UUID orgId;
    public long seq;
    public byte[] hash;
}
