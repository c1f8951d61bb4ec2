package dev.crate.server.secrets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One version of a secret: its data key wrapped by org key {@code orgKeyVersion}, and the value's ciphertext.
 * A purge sets {@code wrappedDataKey} to null ({@code destroyedAt}): the value can never be decrypted again.
 */
@Entity
@Table(name = "secret_versions")
public class SecretVersionRecord {
    @Id
    public UUID id;

    public UUID secretId;
    public int version;
    public int orgKeyVersion;
    public byte[] wrappedDataKey;
    public byte[] ciphertext;
    public OffsetDateTime createdAt;
    public String createdBy;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] tags;

    public OffsetDateTime destroyedAt;
}
