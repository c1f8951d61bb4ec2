package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A binding as the API shows it. Holds no credential. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadIdentity(
        UUID id,
        String name,
        String issuer,
        String audience,
        String subject,
        Map<String, String> claims,
        String role,
        Map<String, List<String>> grants,
        List<String> environments,
        List<String> tags,
        @JsonProperty("read_only") boolean readOnly,
        @JsonProperty("token_ttl_seconds") int tokenTtlSeconds,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("updated_at") OffsetDateTime updatedAt) {}
