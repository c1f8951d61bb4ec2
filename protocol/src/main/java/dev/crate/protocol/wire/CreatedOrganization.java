package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Answer to {@code POST /organizations}. When the creator is an API key (which is bound to one org),
 * the new org's first admin is a new API key, shown here once as {@code admin_api_key}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedOrganization(
        UUID id,
        String name,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("admin_api_key") CreatedApiKey adminApiKey) {}
