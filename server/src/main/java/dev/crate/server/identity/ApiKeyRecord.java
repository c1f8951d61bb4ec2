package dev.crate.server.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An API key: only its SHA-256 hash is stored, with its scope. */
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
    /** For role {@code member}: {@code env:read} / {@code env:write}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] grants;
    /** When set, secret operations are limited to these environments. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] environments;
    /** When set, the key sees only secrets carrying at least one of these tags. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] tags;

    public boolean readOnly;
}
