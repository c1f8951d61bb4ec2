package dev.crate.server.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the generated OpenAPI document (registered as {@code mp.openapi.filter}): the bearer
 * security scheme, the problem+json error schema and the error answers each operation can give, the
 * worked examples of {@link OperationExamples}, and which fields of each schema are required (see
 * {@link #REQUIRED_IN_REQUESTS} and {@link #OPTIONAL_IN_RESPONSES}). The result is checked in as
 * {@code openapi.yaml}.
 */
public class ApiContract implements OASFilter {
    static final String SCHEME = "bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error answers by status: component name and the example's error code. */
    private static final Map<String, ErrorAnswer> ERRORS = errors();

    private static final Set<String> CONFLICTS = Set.of(
            "createOrganization",
            "createEnvironment",
            "deleteTag",
            "revokeApiKey",
            "addMember",
            "updateMember",
            "removeMember",
            "storeSecret",
            "rollbackSecret",
            "restoreSecret");
    /**
     * Request bodies: the fields without which the server rejects the request (400), as its services
     * validate them. Every other request field is optional: the server has a default or does without.
     * (AddMemberRequest also needs exactly one of email and subject, RetrieveRequest exactly one of
     * client_public_key_pem and client_public_jwk: not expressible as required, said in the docs.)
     */
    static final Map<String, Set<String>> REQUIRED_IN_REQUESTS = Map.ofEntries(
            Map.entry("AddMemberRequest", Set.of("role")),
            Map.entry("CreateApiKeyRequest", Set.of("name")),
            Map.entry("CreateEnvironmentRequest", Set.of("name")),
            Map.entry("CreateOrganizationRequest", Set.of("name")),
            Map.entry("RollbackRequest", Set.of("version")),
            Map.entry("RotateKeysRequest", Set.of("tier")),
            // sealed must be true: an unsealed value is refused (unsealed_value_rejected)
            Map.entry("StoreSecretRequest", Set.of("name", "encrypted_value", "sealed")),
            Map.entry("RetrieveRequest", Set.of()),
            Map.entry("UpdateMemberRequest", Set.of()),
            Map.entry("TagMetadata", Set.of()),
            // shared by POST (which needs name, issuer, audience, subject and role: docs/API.md, section 14)
            // and PATCH (any subset), so none is marked required
            Map.entry("WorkloadIdentityRequest", Set.of()),
            // missing ones are refused like any other exchange: 401 workload_token_refused
            Map.entry("WorkloadTokenRequest", Set.of("subject_token", "subject_token_type", "organization")));
    /**
     * Response schemas: the fields the server can leave out. The server never writes a null
     * ({@code quarkus.jackson.serialization-inclusion=non_absent}, {@code @JsonInclude(NON_NULL)} on the
     * records), so a field whose value can be null is absent; every field not listed here is always sent
     * (a primitive, or a value the code that builds the record never leaves null). ResponseFieldsTest
     * checks real answers against this.
     */
    static final Map<String, Set<String>> OPTIONAL_IN_RESPONSES = Map.ofEntries(
            // expires_at: only when given; last_used_at: once used; environments, tags: only a narrowed key
            Map.entry("ApiKey", Set.of("expires_at", "last_used_at", "environments", "tags")),
            Map.entry("CreatedApiKey", Set.of("expires_at", "environments", "tags")),
            // the org's first admin key, only when an API key created the org
            Map.entry("CreatedOrganization", Set.of("admin_api_key")),
            // what an event does not concern, or the request did not carry, is absent
            Map.entry(
                    "AuditEvent",
                    Set.of(
                            "actor_id",
                            "actor_name",
                            "environment",
                            "name",
                            "version",
                            "detail",
                            "reason",
                            "client_ip",
                            "user_agent",
                            "request_id")),
            // absent on the last page
            Map.entry("AuditEventList", Set.of("next_cursor")),
            // last_hash: absent when the checkpoint itself does not hold; first_broken: when the chain holds
            Map.entry("AuditVerification", Set.of("last_hash", "first_broken")),
            // the record, when one is there at that seq
            Map.entry("AuditChainBreak", Set.of("id")),
            // only oidc_enabled when the server takes API keys only; endpoints as the provider publishes them
            Map.entry(
                    "AuthConfig",
                    Set.of(
                            "issuer",
                            "device_authorization_endpoint",
                            "token_endpoint",
                            "client_id",
                            "scopes",
                            "authorization_endpoint",
                            "console_client_id")),
            // while it is running
            Map.entry("KeyRotation", Set.of("finished_at")),
            // email: an API key has none, and a user's token may lack it; name: a user's token may lack it
            Map.entry("Me", Set.of("email", "name")),
            // subject: until an invited email logs in; email: a member added by subject; name: until first login
            Map.entry("Member", Set.of("subject", "email", "name")),
            Map.entry("OrgKeyVersion", Set.of("retired_at")),
            // absent on the last page of a retrieve without names, and whenever names were given
            Map.entry("RetrieveResponse", Set.of("next")),
            // no active key yet, or a schedule turned off (period 0)
            Map.entry("RotationSchedule", Set.of("last_rotation", "next_rotation", "period")),
            Map.entry("TransportKeyInfo", Set.of("grace_until")),
            // environments, tags: only a narrowed binding; updated_at: once changed
            Map.entry("WorkloadIdentity", Set.of("environments", "tags", "updated_at")));
    /**
     * Fields sent as null rather than left out (the record says {@code @JsonInclude(ALWAYS)}): not
     * required, and typed as possibly null.
     */
    static final Map<String, Set<String>> NULLABLE = Map.of("TagMetadata", Set.of("color", "description"));
    /**
     * Operations whose resource method says {@code @ResponseStatus(201)} or {@code (202)}, which the
     * generated document lists as 200 (ResponseFieldsTest checks the real status of most of them).
     */
    private static final Map<String, String> SUCCESS = Map.of(
            "createOrganization",
            "201",
            "createApiKey",
            "201",
            "createEnvironment",
            "201",
            "addMember",
            "201",
            "rotateKeys",
            "202",
            "rotateRootKey",
            "202",
            "createWorkloadIdentity",
            "201");

    private static final Map<String, String> PARAMETER_EXAMPLES = Map.of(
            "id",
            "3f0c1a52-8d4e-4c1b-9a57-2f6f1e0b7c11",
            "name",
            "DATABASE_URL",
            "keyId",
            "8b1e6f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
            "env",
            "prod",
            "tags",
            "backend,payments");

    private record ErrorAnswer(String component, ErrorCode code, String detail) {}

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // quarkus-oidc adds an openIdConnect scheme naming the configured issuer: deployment detail, not
        // contract (and it would differ between every run). The one bearer scheme covers both kinds of token.
        if (openAPI.getComponents().getSecuritySchemes() != null) {
            new java.util.ArrayList<>(
                            openAPI.getComponents().getSecuritySchemes().keySet())
                    .forEach(openAPI.getComponents()::removeSecurityScheme);
        }
        openAPI.getComponents()
                .addSecurityScheme(
                        SCHEME,
                        OASFactory.createSecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("crate_ API key or OIDC access token")
                                .description(
                                        "An API key (`Authorization: Bearer crate_...`), created with the organization or by "
                                                + "POST /organization/{id}/api-keys, or an access token from the configured identity "
                                                + "provider (see GET /auth/config)."))
                .addSchema("Problem", problemSchema());
        ERRORS.forEach((status, error) -> openAPI.getComponents().addResponse(error.component(), errorResponse(error)));
        openAPI.getComponents()
                .getResponses()
                .get(ERRORS.get("503").component())
                .addHeader(
                        "Retry-After",
                        OASFactory.createHeader()
                                .description("Seconds to wait before trying again")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        openAPI.getComponents()
                .getResponses()
                .get(ERRORS.get("429").component())
                .addHeader(
                        "Retry-After",
                        OASFactory.createHeader()
                                .description("Seconds to wait before trying again (rate_limited only)")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        openAPI.getPaths()
                .getPathItems()
                .forEach((path, item) ->
                        item.getOperations().forEach((method, operation) -> complete(path, method, operation)));
        markRequired(openAPI);
    }

    /**
     * Sets {@code required} on every object schema: in request bodies the fields of
     * {@link #REQUIRED_IN_REQUESTS}, in answers every field but those of {@link #OPTIONAL_IN_RESPONSES}
     * and {@link #NULLABLE}. A table naming a schema or field the code no longer has, or a request
     * schema missing from {@link #REQUIRED_IN_REQUESTS}, fails the build: the tables follow the records.
     */
    private static void markRequired(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Set<String> inRequests = new TreeSet<>();
        openAPI.getPaths()
                .getPathItems()
                .values()
                .forEach(item -> item.getOperations().values().forEach(operation -> {
                    if (operation.getRequestBody() != null
                            && operation.getRequestBody().getContent() != null) {
                        operation
                                .getRequestBody()
                                .getContent()
                                .getMediaTypes()
                                .values()
                                .forEach(media -> collect(media.getSchema(), schemas, inRequests));
                    }
                }));
        if (!inRequests.equals(REQUIRED_IN_REQUESTS.keySet())) {
            throw new IllegalStateException("ApiContract.REQUIRED_IN_REQUESTS lists "
                    + new TreeSet<>(REQUIRED_IN_REQUESTS.keySet()) + " but the request bodies are " + inRequests);
        }
        for (Map<String, Set<String>> table : List.of(REQUIRED_IN_REQUESTS, OPTIONAL_IN_RESPONSES, NULLABLE)) {
            table.forEach((name, fields) -> {
                Schema schema = schemas.get(name);
                if (schema == null
                        || schema.getProperties() == null
                        || !schema.getProperties().keySet().containsAll(fields)) {
                    throw new IllegalStateException(
                            "ApiContract names " + name + " " + fields + ", which the OpenAPI schemas lack");
                }
            });
        }
        NULLABLE.forEach((name, fields) -> fields.forEach(field -> {
            Schema property = schemas.get(name).getProperties().get(field);
            if (property.getType() == null || property.getType().isEmpty()) {
                throw new IllegalStateException(
                        "ApiContract.NULLABLE: " + name + "." + field + " is not a plain typed field");
            }
            if (!property.getType().contains(Schema.SchemaType.NULL)) {
                property.addType(Schema.SchemaType.NULL);
            }
        }));
        schemas.forEach((name, schema) -> {
            if (schema.getProperties() == null || "Problem".equals(name)) {
                return;
            }
            Set<String> optional = new java.util.HashSet<>(OPTIONAL_IN_RESPONSES.getOrDefault(name, Set.of()));
            optional.addAll(NULLABLE.getOrDefault(name, Set.of()));
            List<String> required = schema.getProperties().keySet().stream()
                    .filter(field -> inRequests.contains(name)
                            ? REQUIRED_IN_REQUESTS.get(name).contains(field)
                            : !optional.contains(field))
                    .toList();
            schema.setRequired(required.isEmpty() ? null : required);
        });
    }

    /** The named schemas {@code schema} uses, itself included, that have properties. */
    private static void collect(Schema schema, Map<String, Schema> schemas, Set<String> into) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
            Schema named = schemas.get(name);
            if (named != null && named.getProperties() != null && into.add(name)) {
                named.getProperties().values().forEach(property -> collect(property, schemas, into));
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> collect(property, schemas, into));
        }
        collect(schema.getItems(), schemas, into);
        if (schema.getAdditionalPropertiesSchema() != null) {
            collect(schema.getAdditionalPropertiesSchema(), schemas, into);
        }
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        String example = PARAMETER_EXAMPLES.get(parameter.getName());
        if (example != null && parameter.getExample() == null) {
            parameter.setExample(example);
        }
        return parameter;
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        String id = operation.getOperationId();
        // Quarkus has already answered 401 for the operations that need authentication; public ones
        // (a discovery endpoint, say) get neither the scheme nor the authentication errors.
        boolean secured = operation.getResponses().hasAPIResponse("401");
        // an empty requirement says "no credential needed" explicitly
        operation.setSecurity(List.of(
                secured
                        ? OASFactory.createSecurityRequirement().addScheme(SCHEME)
                        : OASFactory.createSecurityRequirement()));
        String success = SUCCESS.get(id);
        if (success != null) {
            APIResponse ok = operation.getResponses().getAPIResponse("200");
            operation.getResponses().removeAPIResponse("200");
            operation
                    .getResponses()
                    .addAPIResponse(success, ok.description("201".equals(success) ? "Created" : "Accepted"));
        }
        OperationExamples.of(id).ifPresent(example -> {
            example.request()
                    .ifPresent(json -> operation
                            .getRequestBody()
                            .getContent()
                            .getMediaTypes()
                            .values()
                            .forEach(media -> media.setExample(parse(json))));
            example.response()
                    .ifPresent(json -> operation
                            .getResponses()
                            .getAPIResponses()
                            .forEach((status, response) -> {
                                if (status.startsWith("2") && response.getContent() != null) {
                                    response.getContent()
                                            .getMediaTypes()
                                            .values()
                                            .forEach(media -> media.setExample(parse(json)));
                                }
                            }));
        });
        boolean orgScoped = path.startsWith("/organization/{id}");
        boolean operator = path.startsWith("/operator/");
        boolean hasBody = operation.getRequestBody() != null;
        // a malformed org id answers 404 like any unknown one; other parameters are validated (400)
        boolean hasInput = hasBody
                || (operation.getParameters() != null
                        && operation.getParameters().stream().anyMatch(p -> !"id".equals(p.getName())));
        if (hasInput) {
            addError(operation, "400");
        }
        if (secured) {
            addError(operation, "401");
        }
        // Quarkus lists a bare 403 for every authenticated operation; only those where a role or an
        // API key's scope can refuse the caller answer it: in an organization, the operator's, and
        // creating an organization (an unrestricted admin API key, or a user)
        operation.getResponses().removeAPIResponse("403");
        if (secured && (orgScoped || operator || method == PathItem.HttpMethod.POST)) {
            addError(operation, "403");
        }
        // the organization, and any other id or name in the path (secret, tag, key, member), or the
        // environment named by env, may not exist
        if (orgScoped) {
            addError(operation, "404");
        }
        // every resource @Produces one media type (JSON, or CSV and JSON lines for the export): an
        // Accept header that allows none of them is refused before the operation runs
        addError(operation, "406");
        if (CONFLICTS.contains(id)) {
            addError(operation, "409");
        }
        if (hasBody) {
            addError(operation, "413");
            // bodies are application/json only
            addError(operation, "415");
        }
        if ("watchSecrets".equals(id) || "createOrganization".equals(id)) {
            // the limits of open change streams per caller and per organization; of organizations one
            // caller creates per hour (rate_limited, with Retry-After)
            addError(operation, "429");
        }
        // every operation reads PostgreSQL (the credential, the audit trail) and getAuthConfig the
        // identity provider: while they cannot serve, 503 with Retry-After (docs/API.md, section 3)
        addError(operation, "503");
        if ("exchangeWorkloadToken".equals(id)) {
            // public, yet refusing: one code whatever the reason (docs/API.md, section 14)
            operation
                    .getResponses()
                    .addAPIResponse(
                            "401",
                            errorResponse(new ErrorAnswer(
                                    "WorkloadTokenRefused",
                                    ErrorCode.WORKLOAD_TOKEN_REFUSED,
                                    "the platform token was not accepted; an admin of the organization can see why "
                                            + "in the audit trail")));
        }
        operation
                .getResponses()
                .setAPIResponses(new TreeMap<>(operation.getResponses().getAPIResponses()));
    }

    private static void addError(Operation operation, String status) {
        operation
                .getResponses()
                .addAPIResponse(
                        status,
                        OASFactory.createAPIResponse()
                                .ref("#/components/responses/"
                                        + ERRORS.get(status).component()));
    }

    private static APIResponse errorResponse(ErrorAnswer error) {
        Problem example = Problem.of(error.code(), error.detail(), "5d2c7b7e-1f0a-4f3e-9d61-2b8f0f6a9c42");
        return OASFactory.createAPIResponse()
                .description(error.code().title() + " (problem+json, code e.g. "
                        + error.code().code() + ")")
                .content(OASFactory.createContent()
                        .addMediaType(
                                Problem.MEDIA_TYPE,
                                OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                                        .example(JSON.convertValue(example, Map.class))));
    }

    private static Schema problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string("URI of the problem type, e.g. https://crate.dev/problems/secret-not-found"));
        properties.put("title", string("Short, human-readable summary of the problem type"));
        properties.put(
                "status",
                OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)
                        .format("int32")
                        .description("The HTTP status code"));
        properties.put("code", string("Stable machine-readable error code (see docs/API.md); clients switch on this"));
        properties.put(
                "detail", string("Human-readable explanation of this occurrence; never contains secret material"));
        properties.put(
                "request_id", string("The request id, also in the X-Request-Id header; quote it when reporting"));
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem document, served as application/problem+json")
                .properties(properties)
                .required(List.of("type", "title", "status", "code"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Map<String, ErrorAnswer> errors() {
        Map<String, ErrorAnswer> errors = new LinkedHashMap<>();
        errors.put(
                "400",
                new ErrorAnswer(
                        "BadRequest",
                        ErrorCode.INVALID_NAME,
                        "a secret name is a valid environment variable name: ^[A-Za-z_][A-Za-z0-9_]{0,127}$"));
        errors.put(
                "401",
                new ErrorAnswer(
                        "Unauthorized",
                        ErrorCode.UNAUTHENTICATED,
                        "a valid bearer token is required: an API key or an access token from the identity provider"));
        errors.put(
                "403",
                new ErrorAnswer(
                        "Forbidden", ErrorCode.FORBIDDEN, "this operation needs the admin role in the organization"));
        errors.put("404", new ErrorAnswer("NotFound", ErrorCode.ORGANIZATION_NOT_FOUND, "no such organization"));
        errors.put(
                "406",
                new ErrorAnswer("NotAcceptable", ErrorCode.NOT_ACCEPTABLE, "this resource answers application/json"));
        errors.put("409", new ErrorAnswer("Conflict", ErrorCode.TAG_IN_USE, "the tag is still carried by a secret"));
        errors.put(
                "429",
                new ErrorAnswer(
                        "TooManyRequests",
                        ErrorCode.TOO_MANY_STREAMS,
                        "too many open change streams (at most 16 per caller and 500 per organization on each server)"));
        errors.put(
                "413",
                new ErrorAnswer("ContentTooLarge", ErrorCode.BODY_TOO_LARGE, "request bodies are limited to 256 KiB"));
        errors.put(
                "415",
                new ErrorAnswer(
                        "UnsupportedMediaType",
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "send Content-Type: application/json"));
        errors.put(
                "503",
                new ErrorAnswer(
                        "ServiceUnavailable",
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "the database cannot serve requests right now; try again shortly"));
        return errors;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OpenAPI example is not valid JSON", e);
        }
    }
}
