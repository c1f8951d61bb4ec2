package dev.crate.server.storage;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An API key: only its SHA-256 hash is stored. */
@Entity
@Table(name = "api_keys")
public class ApiKeyRecord {
    @Id
    public UUID id;
    public UUID orgId;
    public String name;
    public String role;
    public String prefix;
    public byte[] keyHash;
    public OffsetDateTime createdAt;
    public String createdBy;
    public OffsetDateTime expiresAt;
    public OffsetDateTime revokedAt;
    public OffsetDateTime lastUsedAt;
}
