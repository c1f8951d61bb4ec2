package dev.crate.server.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user's membership of an org: role and, for {@code member}, grants as {@code env:permission}. */
@Entity
@Table(name = "members")
public class MemberRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String subject;
    public String email;
    public String role;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] grants;

    public OffsetDateTime createdAt;
    public String createdBy;
}
