package dev.crate.server.domain;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What an API key may do: its org and role (or grants), optionally narrowed to environments and tags, or read-only. */
public record ApiKeyScope(
        UUID keyId,
        String name,
        UUID orgId,
        Role role,
        Grants grants,
        Optional<Set<String>> environments,
        Optional<Set<String>> tags,
        boolean readOnly) {}
