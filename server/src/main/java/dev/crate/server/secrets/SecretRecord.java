package dev.crate.server.secrets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A secret: (org, environment, name) with its current version and tags; values live in {@link SecretVersionRecord}. */
@Entity
@Table(name = "secrets")
public class SecretRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String environment;
    public String name;
    public int currentVersion;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] tags;

    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime deletedAt;
    /** When a purge destroyed the keys of every version (the secret is deleted too). */
    public OffsetDateTime purgedAt;
}
