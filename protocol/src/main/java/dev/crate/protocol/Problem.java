package dev.crate.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An RFC 9457 problem document, as every Crate error is answered ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String code,
        String detail,
        @JsonProperty("request_id") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail, String requestId) {
        return new Problem(code.type(), code.title(), code.status(), code.code(), detail, requestId);
    }
}
