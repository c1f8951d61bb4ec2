package dev.crate.server.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling: a user of the identity provider (memberships decide per org) or an API key
 * (bound to one org, scoped). Carries no credential.
 */
public record Caller(Kind kind, String subject, String email, boolean emailVerified, String name,
        Optional<ApiKeyScope> apiKey) {

    public enum Kind { USER, API_KEY }

    public static Caller user(String subject, String email, boolean emailVerified, String name) {
        return new Caller(Kind.USER, subject, email, emailVerified, name, Optional.empty());
    }

    public static Caller apiKey(ApiKeyScope scope) {
        return new Caller(Kind.API_KEY, "api-key:" + scope.keyId(), null, false, scope.name(), Optional.of(scope));
    }

    /** The email only when the identity provider vouches for it. */
    public String verifiedEmail() {
        return emailVerified ? email : null;
    }

    /** The actor as written into {@code created_by} columns: kind and id, never a credential. */
    public String actor() {
        return kind == Kind.USER ? "user:" + subject : subject;
    }

    public Optional<UUID> apiKeyOrg() {
        return apiKey.map(ApiKeyScope::orgId);
    }
}
