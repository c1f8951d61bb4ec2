package dev.crate.server.identity;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Permission;
import dev.crate.server.domain.Role;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do in one org, resolved for this request (so a changed role or a revoked key
 * counts from the next request on). The checks throw 403 {@code forbidden}; the org itself was
 * already proven visible.
 */
public record Access(
        OrganizationRecord org,
        Role role,
        Grants grants,
        Optional<Set<String>> environments,
        Optional<Set<String>> tags,
        boolean readOnly) {

    /** Managing the org: tags, environments, API keys, members. A read-only or scoped key never does. */
    public Access requireAdmin() {
        if (role != Role.ADMIN || readOnly) {
            throw forbidden("this operation needs the admin role in the organization");
        }
        if (environments.isPresent() || tags.isPresent()) {
            throw forbidden("an API key restricted to environments or tags cannot manage the organization");
        }
        return this;
    }

    /**
     * Reading the org's audit trail: the admin role, unrestricted by environment or tag (a read-only admin
     * key, as a log shipper would hold, may).
     */
    public Access requireAuditRead() {
        if (role != Role.ADMIN) {
            throw forbidden("reading the audit trail needs the admin role in the organization");
        }
        if (environments.isPresent() || tags.isPresent()) {
            throw forbidden("an API key restricted to environments or tags cannot read the audit trail");
        }
        return this;
    }

    /** Names, tags and versions of an environment's secrets; any role. */
    public Access requireMetadata(String environment) {
        requireEnvironmentInScope(environment);
        return this;
    }

    /** Values of an environment's secrets. */
    public Access requireSecretRead(String environment) {
        requireEnvironmentInScope(environment);
        if (!(role == Role.ADMIN || role == Role.MEMBER && grants.allows(environment, Permission.READ))) {
            throw forbidden("reading secret values in '" + environment + "' needs the admin role or a read grant");
        }
        return this;
    }

    /** Storing or deleting an environment's secrets. */
    public Access requireSecretWrite(String environment) {
        requireEnvironmentInScope(environment);
        if (readOnly || !(role == Role.ADMIN || role == Role.MEMBER && grants.allows(environment, Permission.WRITE))) {
            throw forbidden("changing secrets in '" + environment + "' needs the admin role or a write grant");
        }
        return this;
    }

    /** A tag-restricted key sees only secrets carrying one of its tags. */
    public boolean sees(String[] secretTags) {
        if (tags.isEmpty()) {
            return true;
        }
        if (secretTags != null) {
            for (String tag : secretTags) {
                if (tags.get().contains(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void requireEnvironmentInScope(String environment) {
        if (environments.isPresent() && !environments.get().contains(environment)) {
            throw forbidden("this API key is limited to the environments " + environments.get());
        }
    }

    private static CrateException forbidden(String detail) {
        return new CrateException(ErrorCode.FORBIDDEN, detail);
    }
}
