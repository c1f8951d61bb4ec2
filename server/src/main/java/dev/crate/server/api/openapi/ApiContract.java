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
 * security scheme, the problem+json error schema and the error answers each operation can give, and
 * the worked examples of {@link OperationExamples}. The result is checked in as {@code openapi.yaml}.
 */
public class ApiContract implements OASFilter {
    static final String SCHEME = "bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error answers by status: component name and the example's error code. */
    private static final Map<String, ErrorAnswer> ERRORS = errors();
    private static final Set<String> CONFLICTS = Set.of("createOrganization", "createEnvironment", "deleteTag", "revokeApiKey",
            "addMember", "updateMember", "removeMember", "storeSecret", "rollbackSecret", "restoreSecret");
    private static final Map<String, String> PARAMETER_EXAMPLES = Map.of("id", "3f0c1a52-8d4e-4c1b-9a57-2f6f1e0b7c11",
            "name", "DATABASE_URL", "keyId", "8b1e6f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b", "env", "prod", "tags", "backend,payments");

    private record ErrorAnswer(String component, ErrorCode code, String detail) {
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // quarkus-oidc adds an openIdConnect scheme naming the configured issuer: deployment detail, not
        // contract (and it would differ between every run). The one bearer scheme covers both kinds of token.
        if (openAPI.getComponents().getSecuritySchemes() != null) {
            new java.util.ArrayList<>(openAPI.getComponents().getSecuritySchemes().keySet())
                    .forEach(openAPI.getComponents()::removeSecurityScheme);
        }
        openAPI.getComponents()
                .addSecurityScheme(SCHEME, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("crate_ API key or OIDC access token")
                        .description("An API key (`Authorization: Bearer crate_...`), created with the organization or by "
                                + "POST /organization/{id}/api-keys, or an access token from the configured identity "
                                + "provider (see GET /auth/config)."))
                .addSchema("Problem", problemSchema());
        ERRORS.forEach((status, error) -> openAPI.getComponents().addResponse(error.component(), errorResponse(error)));
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) ->
                complete(path, method, operation)));
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
        operation.setSecurity(List.of(secured ? OASFactory.createSecurityRequirement().addScheme(SCHEME)
                : OASFactory.createSecurityRequirement()));
        OperationExamples.of(id).ifPresent(example -> {
            example.request().ifPresent(json -> operation.getRequestBody().getContent().getMediaTypes().values()
                    .forEach(media -> media.setExample(parse(json))));
            example.response().ifPresent(json -> operation.getResponses().getAPIResponses().forEach((status, response) -> {
                if (status.startsWith("2") && response.getContent() != null) {
                    response.getContent().getMediaTypes().values().forEach(media -> media.setExample(parse(json)));
                }
            }));
        });
        boolean orgScoped = path.startsWith("/organization/{id}");
        boolean hasBody = operation.getRequestBody() != null;
        // a malformed org id answers 404 like any unknown one; other parameters are validated (400)
        boolean hasInput = hasBody || (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> !"id".equals(p.getName())));
        if (hasInput) {
            addError(operation, "400");
        }
        if (secured) {
            addError(operation, "401");
        }
        if (secured && (orgScoped || method == PathItem.HttpMethod.POST)) {
            addError(operation, "403");
        }
        if (orgScoped) {
            addError(operation, "404");
        }
        if (CONFLICTS.contains(id)) {
            addError(operation, "409");
        }
        if (hasBody) {
            addError(operation, "413");
        }
        if ("getAuthConfig".equals(id)) {
            addError(operation, "503");
        }
        operation.getResponses().setAPIResponses(new TreeMap<>(operation.getResponses().getAPIResponses()));
    }

    private static void addError(Operation operation, String status) {
        operation.getResponses().addAPIResponse(status,
                OASFactory.createAPIResponse().ref("#/components/responses/" + ERRORS.get(status).component()));
    }

    private static APIResponse errorResponse(ErrorAnswer error) {
        Problem example = Problem.of(error.code(), error.detail(), "5d2c7b7e-1f0a-4f3e-9d61-2b8f0f6a9c42");
        return OASFactory.createAPIResponse().description(error.code().title() + " (problem+json, code e.g. "
                        + error.code().code() + ")")
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))
                        .example(JSON.convertValue(example, Map.class))));
    }

    private static Schema problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string("URI of the problem type, e.g. https://crate.dev/problems/secret-not-found"));
        properties.put("title", string("Short, human-readable summary of the problem type"));
        properties.put("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                .description("The HTTP status code"));
        properties.put("code", string("Stable machine-readable error code (see docs/API.md); clients switch on this"));
        properties.put("detail", string("Human-readable explanation of this occurrence; never contains secret material"));
        properties.put("request_id", string("The request id, also in the X-Request-Id header; quote it when reporting"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem document, served as application/problem+json")
                .properties(properties).required(List.of("type", "title", "status", "code"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Map<String, ErrorAnswer> errors() {
        Map<String, ErrorAnswer> errors = new LinkedHashMap<>();
        errors.put("400", new ErrorAnswer("BadRequest", ErrorCode.INVALID_NAME,
                "a secret name is a valid environment variable name: ^[A-Za-z_][A-Za-z0-9_]{0,127}$"));
        errors.put("401", new ErrorAnswer("Unauthorized", ErrorCode.UNAUTHENTICATED,
                "a valid bearer token is required: an API key or an access token from the identity provider"));
        errors.put("403", new ErrorAnswer("Forbidden", ErrorCode.FORBIDDEN, "this operation needs the admin role in the organization"));
        errors.put("404", new ErrorAnswer("NotFound", ErrorCode.ORGANIZATION_NOT_FOUND, "no such organization"));
        errors.put("409", new ErrorAnswer("Conflict", ErrorCode.TAG_IN_USE, "the tag is still carried by a secret"));
        errors.put("413", new ErrorAnswer("ContentTooLarge", ErrorCode.BODY_TOO_LARGE, "request bodies are limited to 256 KiB"));
        errors.put("503", new ErrorAnswer("ServiceUnavailable", ErrorCode.SERVICE_UNAVAILABLE,
                "the identity provider cannot be reached"));
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
