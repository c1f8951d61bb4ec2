package dev.crate.cli.client;

import dev.crate.protocol.wire.CreateOrganizationRequest;
import dev.crate.protocol.wire.CreatedOrganization;
import dev.crate.protocol.wire.Organization;
import dev.crate.protocol.wire.OrganizationList;
import java.util.List;
import java.util.Optional;

/** The organizations the caller belongs to, and new ones. */
public final class OrganizationsClient {
    private final CrateClient client;

    public OrganizationsClient(CrateClient client) {
        this.client = client;
    }

    public List<Organization> list() {
        OrganizationList list = client.get("/organizations", OrganizationList.class);
        return list.organizations() == null ? List.of() : list.organizations();
    }

    public CreatedOrganization create(String name) {
        return client.send("POST", "/organizations", new CreateOrganizationRequest(name), CreatedOrganization.class);
    }

    /** The caller's organization with this id (any case) or exact name. */
    public Optional<Organization> find(String idOrName) {
        return list().stream()
                .filter(o ->
                        o.id().toString().equalsIgnoreCase(idOrName) || o.name().equals(idOrName))
                .findFirst();
    }
}
