package dev.crate.server.keys;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A version of an org key, wrapped by the root key {@code rootKid}. */
@Entity
@Table(name = "org_keys")
public class OrgKeyRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public int version;
    public String rootKid;
    public byte[] wrappedKey;

    @Convert(converter = OrgKeyState.Column.class)
    public OrgKeyState state;

    public long wrapCount;
    public OffsetDateTime createdAt;
    public OffsetDateTime retiredAt;
}
