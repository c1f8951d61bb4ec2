package dev.crate.server.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling: for now an API key, bound to one org with one role. Users (OIDC) arrive with the
 * identity work and carry memberships instead of a single org.
 */
public record Caller(Kind kind, UUID id, String name, Optional<UUID> orgId, Role role) {

    public enum Kind { API_KEY }

    public static Caller apiKey(UUID keyId, String name, UUID orgId, Role role) {
        return new Caller(Kind.API_KEY, keyId, name, Optional.of(orgId), role);
    }

    /** The actor as written into {@code created_by} columns: kind and id, never a credential. */
    public String actor() {
        return "api-key:" + id;
    }
}
