package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code GET /me}: who the caller is ({@code user} or {@code api_key}) and where it belongs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Me(String kind, String subject, String email, String name, List<Membership> organizations) {}
