package dev.crate.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stable machine-readable error codes of the Crate API. Clients switch on {@link #code()};
 * the HTTP status and title are what the server answers with. Never rename a code: add one.
 */
public enum ErrorCode {
    MALFORMED_REQUEST("malformed_request", 400, "Malformed request"),
    INVALID_NAME("invalid_name", 400, "Invalid secret name"),
    INVALID_ENVIRONMENT("invalid_environment", 400, "Invalid environment name"),
    INVALID_TAG("invalid_tag", 400, "Invalid tag"),
    TOO_MANY_TAGS("too_many_tags", 400, "Too many tags"),
    TOO_MANY_NAMES("too_many_names", 400, "Too many names"),
    /** A retrieve's {@code limit} or {@code after} is out of its rule, or given with {@code names}. */
    INVALID_PAGE("invalid_page", 400, "Invalid page"),
    INVALID_ORGANIZATION_NAME("invalid_organization_name", 400, "Invalid organization name"),
    INVALID_API_KEY_REQUEST("invalid_api_key_request", 400, "Invalid API key request"),
    INVALID_GRANTS("invalid_grants", 400, "Invalid grants"),
    INVALID_MEMBER_REQUEST("invalid_member_request", 400, "Invalid member request"),
    MEMBER_NOT_FOUND("member_not_found", 404, "Member not found"),
    MEMBER_EXISTS("member_exists", 409, "Member already exists"),
    INVALID_TAG_METADATA("invalid_tag_metadata", 400, "Invalid tag metadata"),
    UNSEALED_VALUE_REJECTED("unsealed_value_rejected", 400, "Unsealed value rejected"),
    INVALID_SEALED_VALUE("invalid_sealed_value", 400, "Sealed value cannot be opened"),
    /** The value was sealed to a transport key whose grace period is over: fetch the public key again. */
    TRANSPORT_KEY_EXPIRED("transport_key_expired", 400, "Transport key expired"),
    /**
     * The sealed value names another destination (org, environment, name) than the request, or none where
     * the org refuses unbound values (docs/API.md, section 6).
     */
    SEALED_VALUE_MISMATCH("sealed_value_mismatch", 400, "Sealed value bound to another destination"),
    INVALID_ROTATION_REQUEST("invalid_rotation_request", 400, "Invalid rotation request"),
    INVALID_VALUE("invalid_value", 400, "Invalid secret value"),
    VALUE_TOO_LARGE("value_too_large", 413, "Secret value too large"),
    BODY_TOO_LARGE("body_too_large", 413, "Request body too large"),
    INVALID_CLIENT_KEY("invalid_client_key", 400, "Invalid client public key"),
    WEAK_CLIENT_KEY("weak_client_key", 400, "Client public key too weak"),
    UNAUTHENTICATED("unauthenticated", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not_found", 404, "Not found"),
    ORGANIZATION_NOT_FOUND("organization_not_found", 404, "Organization not found"),
    SECRET_NOT_FOUND("secret_not_found", 404, "Secret not found"),
    ENVIRONMENT_NOT_FOUND("environment_not_found", 404, "Environment not found"),
    TAG_NOT_FOUND("tag_not_found", 404, "Tag not found"),
    API_KEY_NOT_FOUND("api_key_not_found", 404, "API key not found"),
    /** Workload identity (docs/API.md, section 14). */
    INVALID_WORKLOAD_IDENTITY("invalid_workload_identity", 400, "Invalid workload identity"),
    WORKLOAD_IDENTITY_NOT_FOUND("workload_identity_not_found", 404, "Workload identity not found"),
    WORKLOAD_SCOPE_EXCEEDS_CREATOR(
            "workload_scope_exceeds_creator", 403, "Workload identity grants more than its creator holds"),
    /** Every refused exchange, whatever the reason: the reason is in the audit trail and the log only. */
    WORKLOAD_TOKEN_REFUSED("workload_token_refused", 401, "Workload token refused"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not_acceptable", 406, "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "Unsupported media type"),
    CONFLICT("conflict", 409, "Conflict"),
    LAST_ADMIN("last_admin", 409, "Last admin credential"),
    ENVIRONMENT_EXISTS("environment_exists", 409, "Environment already exists"),
    ORGANIZATION_EXISTS("organization_exists", 409, "Organization already exists"),
    TAG_IN_USE("tag_in_use", 409, "Tag in use"),
    VERSION_CONFLICT("version_conflict", 409, "Version conflict"),
    VERSION_NOT_FOUND("version_not_found", 404, "Version not found"),
    VERSION_DESTROYED("version_destroyed", 409, "Version destroyed"),
    INVALID_VERSION("invalid_version", 400, "Invalid version"),
    INVALID_AUDIT_QUERY("invalid_audit_query", 400, "Invalid audit query"),
    AUDIT_UNAVAILABLE("audit_unavailable", 503, "Audit trail unavailable"),
    TOO_MANY_STREAMS("too_many_streams", 429, "Too many open streams"),
    /** Too many requests of one kind from one caller (organization creation): wait {@code Retry-After} seconds. */
    RATE_LIMITED("rate_limited", 429, "Too many requests"),
    INTERNAL_ERROR("internal_error", 500, "Internal error"),
    SERVICE_UNAVAILABLE("service_unavailable", 503, "Service unavailable");

    private final String code;
    private final int status;
    private final String title;

    ErrorCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem {@code type} URI clients may dereference in the docs. */
    public String type() {
        return "https://crate.dev/problems/" + code.replace('_', '-');
    }

    public static Optional<ErrorCode> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
