package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A PATCH of a binding: the fields of {@link WorkloadIdentityRequest}, all optional; those given replace the stored ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadIdentityPatch(
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
        @JsonProperty("token_ttl_seconds") Integer tokenTtlSeconds) {

    public WorkloadIdentityRequest changes() {
        return new WorkloadIdentityRequest(
                name, issuer, audience, subject, claims, role, grants, environments, tags, readOnly, tokenTtlSeconds);
    }
}
