package dev.crate.server.storage;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A version of an org key, wrapped by the root key {@code rootKid}. */
@Entity
@Table(name = "org_keys")
public class OrgKeyRecord {
    public static final String ACTIVE = "active";

    @Id
    public UUID id;
    public UUID orgId;
    public int version;
    public String rootKid;
    public byte[] wrappedKey;
    public String state;
    public long wrapCount;
    public OffsetDateTime createdAt;
}
