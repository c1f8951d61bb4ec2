package dev.crate.server.workload;

import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import java.util.List;
import java.util.Map;

/**
 * A validated binding definition: the rules a platform token must meet ({@code issuer}, {@code audience},
 * {@code subject}, {@code claims}) and the scope its exchanged token gets.
 */
record Binding(
        String name,
        String issuer,
        String audience,
        String subject,
        Map<String, String> claims,
        Role role,
        Grants grants,
        List<String> environments,
        List<String> tags,
        boolean readOnly,
        int tokenTtlSeconds) {}
