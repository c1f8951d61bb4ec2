package dev.crate.cli.commands.workload;

import dev.crate.cli.commands.CrateCommand;
import java.util.List;
import org.aesh.command.option.Option;
import org.aesh.command.option.OptionList;

/** The flags of a binding, shared by create and update; {@link BindingBody} turns them into the request body. */
abstract class BindingOptions extends CrateCommand {
    @Option(name = "issuer", description = "the token issuer's URL (https; its discovery document names the JWKS)")
    String issuer;

    @Option(name = "audience", description = "the audience the token must carry, such as crate")
    String audience;

    @Option(name = "subject", description = "the sub claim: exact, or a glob such as repo:acme/api:ref:refs/heads/*")
    String subject;

    @OptionList(
            name = "claim",
            valueSeparator = '\u0000',
            description = "NAME=VALUE rule on a claim, exact or a glob; repeat it, such as --claim repository=acme/api"
                    + " --claim kubernetes.io/namespace=payments")
    List<String> claims;

    @Option(
            name = "role",
            description = "admin, member or viewer, as for API keys (required: a binding has no default role)",
            allowedValues = {"admin", "member", "viewer"})
    String role;

    @Option(name = "grants", description = "per-environment grants of a member, such as dev:read,staging:read+write")
    String grants;

    @Option(name = "environments", description = "comma-separated environments the issued tokens are limited to")
    String environments;

    @Option(
            name = "tags",
            description = "the issued tokens only see secrets carrying one of these comma-separated tags")
    String tags;

    @Option(name = "read-only", hasValue = false, description = "the issued tokens cannot change anything")
    boolean readOnly;

    @Option(
            name = "ttl",
            description = "lifetime of an issued Crate token: seconds or 15m, 1h; 1m to 12h (default 15m)")
    String ttl;

    BindingBody body(String name, Boolean readOnlyValue) {
        return new BindingBody(
                name, issuer, audience, subject, claims, role, grants, environments, tags, readOnlyValue, ttl);
    }
}
