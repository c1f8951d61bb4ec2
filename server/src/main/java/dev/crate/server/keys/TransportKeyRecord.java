package dev.crate.server.keys;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An org's RSA transport key pair: SPKI public key in clear, PKCS#8 private key wrapped by an org key. */
@Entity
@Table(name = "transport_keys")
public class TransportKeyRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String kid;
    public byte[] publicKey;
    public int orgKeyVersion;
    public byte[] wrappedPrivateKey;

    @Convert(converter = TransportKeyState.Column.class)
    public TransportKeyState state;

    public OffsetDateTime createdAt;
    public OffsetDateTime graceUntil;
    public OffsetDateTime disabledAt;
}
