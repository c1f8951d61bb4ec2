package dev.crate.server.organizations;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An environment of an org. */
@Entity
@Table(name = "environments")
public class EnvironmentRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String name;
    public boolean builtin;
    public OffsetDateTime createdAt;
}
