package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A binding as an admin writes it (POST in full, PATCH only the fields to change). The scope fields are
 * those of an API key ({@code role}, {@code grants}, {@code environments}, {@code tags}, {@code read_only});
 * docs/API.md, section 14.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadIdentityRequest(
        String name,
        String issuer,
        String audience,
        String subject,
        Map<String, String> claims,
        String role,
        Map<String, List<String>> grants,
        List<String> environments,
        List<String> tags,
        @JsonProperty("read_only") Boolean readOnly,
        @JsonProperty("token_ttl_seconds") Integer tokenTtlSeconds) {}
