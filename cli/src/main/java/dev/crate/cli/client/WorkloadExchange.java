package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /auth/workload-token} (docs/API.md, workload identities): the platform's identity token for a
 * short-lived Crate access token. The server refuses every failed exchange with 401 and one code, whatever the
 * reason; the message here names where the token came from and what to check, never the token.
 */
public final class WorkloadExchange {
    public static final String PATH = "/auth/workload-token";
    public static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    public static final String REFUSED = "workload_token_refused";

    /** What the exchange gave: the Crate token, when it expires, and the binding that matched (if the server says). */
    public record Issued(String accessToken, Instant expiresAt, String binding) {
        @Override
        public String toString() {
            return "Issued[access_token=REDACTED, expires_at=" + expiresAt + ", binding=" + binding + "]";
        }
    }

    private WorkloadExchange() {}

    /** The request body; the organization is its id. */
    static Map<String, String> body(String subjectToken, String orgId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("subject_token", subjectToken);
        body.put("subject_token_type", JWT_TOKEN_TYPE);
        body.put("organization", orgId);
        return body;
    }

    /**
     * Exchanges {@code subjectToken} (read from {@code source}, which names it in messages) at {@code server}
     * for a Crate token of organization {@code orgId}.
     */
    public static Issued exchange(String server, String orgId, String subjectToken, String source) {
        CrateClient client = new CrateClient(server, () -> "");
        JsonNode answer;
        try {
            answer = client.sendAnonymous("POST", PATH, body(subjectToken, orgId), JsonNode.class);
        } catch (ApiException.NotAuthenticated e) {
            throw new ApiException.NotAuthenticated(
                    e.status(),
                    e.code().orElse(null),
                    "the Crate server at " + client.server() + " refused the workload token from " + source
                            + " for organization " + orgId
                            + ": no workload identity binding accepts it (check the binding's issuer, audience,"
                            + " subject and claim rules, and that the token has not expired;"
                            + " the organization's audit trail records why)");
        } catch (ApiException.NotFound e) {
            throw ErrorTable.missingEndpoint(e, "workload identities");
        } catch (ApiException e) {
            throw new CliException("exchanging the workload token from " + source + " failed: " + e.getMessage());
        }
        JsonNode token = answer == null ? null : answer.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new CliException("the server's answer to the workload token exchange has no access token"
                    + " (is this a Crate server?)");
        }
        long expiresIn = answer.path("expires_in").asLong(0);
        Instant expiresAt = expiresIn > 0 ? Instant.now().plusSeconds(expiresIn) : null;
        return new Issued(token.asText(), expiresAt, binding(answer.get("binding")));
    }

    private static String binding(JsonNode binding) {
        if (binding == null || binding.isNull()) {
            return null;
        }
        if (binding.isValueNode()) {
            return binding.asText();
        }
        JsonNode name = binding.has("name") ? binding.get("name") : binding.get("id");
        return name == null ? null : name.asText();
    }
}
