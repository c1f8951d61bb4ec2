package dev.crate.server.identity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A person known from the identity provider, by the token's subject. */
@Entity
@Table(name = "users")
public class UserRecord {
    @Id
    public UUID id;

    public String subject;
    public String email;
    public boolean emailVerified;
    public String name;
    public OffsetDateTime createdAt;
    public OffsetDateTime lastSeenAt;
}
