package dev.crate.server.workload;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A binding: which tokens of which issuer may be exchanged, and for what scope. */
@Entity
@Table(name = "workload_identities")
public class WorkloadIdentityRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String name;
    public String issuer;
    public String audience;
    public String subject;
    /** JSON object: claim name to exact value or glob. */
    public String claims;

    public String role;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] grants;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] environments;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] tags;

    public boolean readOnly;
    public int tokenTtlSeconds;
    public OffsetDateTime createdAt;
    public String createdBy;
    public OffsetDateTime updatedAt;
}
