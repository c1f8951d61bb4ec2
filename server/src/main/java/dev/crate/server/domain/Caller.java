package dev.crate.server.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling: a user of the identity provider (memberships decide per org) or an API key
 * (bound to one org, scoped), and where the call came from ({@link Origin}, for the audit trail).
 * Carries no credential.
 */
public record Caller(
        Kind kind,
        String subject,
        String email,
        boolean emailVerified,
        String name,
        Optional<ApiKeyScope> apiKey,
        Origin origin) {

    public enum Kind {
        USER,
        API_KEY,
        /** A workload holding a token exchanged for its platform's token (docs/API.md, section 14). */
        WORKLOAD
    }

    /**
     * Request-side facts of one call, as the transport saw them; every part may be null (a job, a test,
     * a transport that has no such thing). Never a credential.
     */
    public record Origin(String ip, String userAgent, String requestId) {
        public static final Origin NONE = new Origin(null, null, null);
        private static final int MAX_USER_AGENT = 256;

        public Origin {
            if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
                userAgent = userAgent.substring(0, MAX_USER_AGENT);
            }
        }
    }

    public Caller {
        origin = origin == null ? Origin.NONE : origin;
    }

    public Caller(
            Kind kind, String subject, String email, boolean emailVerified, String name, Optional<ApiKeyScope> apiKey) {
        this(kind, subject, email, emailVerified, name, apiKey, Origin.NONE);
    }

    public static Caller user(String subject, String email, boolean emailVerified, String name) {
        return new Caller(Kind.USER, subject, email, emailVerified, name, Optional.empty(), Origin.NONE);
    }

    public static Caller apiKey(ApiKeyScope scope) {
        return new Caller(
                Kind.API_KEY, "api-key:" + scope.keyId(), null, false, scope.name(), Optional.of(scope), Origin.NONE);
    }

    /**
     * A workload: the scope is its binding's (key id = binding id, name = binding name), as current as the
     * request; {@code platformSubject} is the {@code sub} of the platform token it exchanged.
     */
    public static Caller workload(ApiKeyScope binding, String platformSubject) {
        return new Caller(
                Kind.WORKLOAD,
                WORKLOAD_PREFIX + binding.keyId() + ":" + platformSubject,
                null,
                false,
                binding.name(),
                Optional.of(binding),
                Origin.NONE);
    }

    private static final String WORKLOAD_PREFIX = "workload:";

    /** For a workload: the {@code sub} of the platform token it exchanged. */
    public Optional<String> workloadSubject() {
        if (kind != Kind.WORKLOAD) {
            return Optional.empty();
        }
        String prefix = WORKLOAD_PREFIX + apiKey.get().keyId() + ":";
        return Optional.of(subject.substring(prefix.length()));
    }

    /** The same caller, seen coming from {@code origin}. */
    public Caller withOrigin(Origin origin) {
        return new Caller(kind, subject, email, emailVerified, name, apiKey, origin);
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
