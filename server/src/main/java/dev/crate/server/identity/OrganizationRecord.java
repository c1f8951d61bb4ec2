package dev.crate.server.identity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An organization row. */
@Entity
@Table(name = "organizations")
public class OrganizationRecord {
    @Id
    public UUID id;

    public String name;
    public OffsetDateTime createdAt;

    /** Whether stores may send values sealed without their destination (docs/SECURITY.md); false for new orgs. */
    public boolean allowUnboundSealedValues;
}
