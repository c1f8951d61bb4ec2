package dev.crate.cli.client;

import dev.crate.protocol.wire.AuthConfig;
import dev.crate.protocol.wire.Me;
import dev.crate.protocol.wire.Membership;

/** Who the caller is ({@code GET /me}) and how to log in ({@code GET /auth/config}). */
public final class IdentityClient {
    private final CrateClient client;

    public IdentityClient(CrateClient client) {
        this.client = client;
    }

    /** {@code GET /me}; a server without it still tells the organizations the credential can see. */
    public Me me() {
        try {
            return client.get("/me", Me.class);
        } catch (ApiException.NotFound older) {
            if (!older.code().orElse("").equals("not_found")) {
                throw older;
            }
            return new Me(
                    null,
                    null,
                    null,
                    null,
                    new OrganizationsClient(client)
                            .list().stream()
                                    .map(o -> new Membership(o.id(), o.name(), null))
                                    .toList());
        }
    }

    /** The login configuration; an older server without {@code /auth/config} offers no browser login. */
    public AuthConfig authConfig() {
        try {
            return client.getAnonymous("/auth/config", AuthConfig.class);
        } catch (ApiException.NotFound e) {
            throw new CliException(
                    "this server offers no browser login (no /auth/config); use 'crate login --token' with an API key");
        }
    }
}
