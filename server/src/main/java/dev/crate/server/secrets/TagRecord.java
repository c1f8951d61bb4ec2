package dev.crate.server.secrets;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tag of an org's catalog with its presentation metadata. */
@Entity
@Table(name = "tags")
public class TagRecord {
    @Id
    public UUID id;

    public UUID orgId;
    public String name;
    public String color;
    public String description;
    public OffsetDateTime createdAt;
}
