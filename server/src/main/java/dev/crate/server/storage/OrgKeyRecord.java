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
    public static final String RETIRING = "retiring";
    public static final String RETIRED = "retired";

    @Id
    public UUID id;
    public UUID orgId;
    public int version;
    public String rootKid;
    public byte[] wrappedKey;
    public String state;
    public long wrapCount;
    public OffsetDateTime createdAt;
    public OffsetDateTime retiredAt;
}
