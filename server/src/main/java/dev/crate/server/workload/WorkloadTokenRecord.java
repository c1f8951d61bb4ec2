package dev.crate.server.workload;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An issued workload token: only its SHA-256 is stored, with its binding and expiry. */
@Entity
@Table(name = "workload_tokens")
public class WorkloadTokenRecord {
    @Id
    public UUID id;

    public byte[] tokenHash;
    public UUID bindingId;
    public UUID orgId;
    /** The {@code sub} of the platform token it was exchanged for. */
    public String subject;

    public OffsetDateTime createdAt;
    public OffsetDateTime expiresAt;
}
