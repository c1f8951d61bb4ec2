package dev.crate.server.api.openapi;

import java.util.Map;
import java.util.Optional;

/**
 * One worked example per operation of the REST API, keyed by operation id: the request body (when
 * the operation takes one) and the success answer. {@link ApiContract} puts them into the OpenAPI
 * document; a new operation without an entry here fails {@code OpenApiContractTest}.
 */
final class OperationExamples {
    private static final String ORG = "3f0c1a52-8d4e-4c1b-9a57-2f6f1e0b7c11";
    private static final String KEY_ID = "8b1e6f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String BINDING = "0b6f3a1e-5c7d-4e2f-9a8b-1c2d3e4f5a6b";
    private static final String WORKLOAD_REQUEST = """
            {"name": "payments api pods", "issuer": "https://oidc.example-cluster.internal", "audience": "crate",
             "subject": "system:serviceaccount:payments:api",
             "claims": {"kubernetes.io/namespace": "payments", "kubernetes.io/serviceaccount/name": "api"},
             "role": "member", "grants": {"dev": ["read"]}, "environments": ["dev"]}""";
    private static final String WORKLOAD_IDENTITY = """
            {"id": "%s", "name": "payments api pods", "issuer": "https://oidc.example-cluster.internal",
             "audience": "crate", "subject": "system:serviceaccount:payments:api",
             "claims": {"kubernetes.io/namespace": "payments", "kubernetes.io/serviceaccount/name": "api"},
             "role": "member", "grants": {"dev": ["read"]}, "environments": ["dev"], "read_only": false,
             "token_ttl_seconds": 900, "created_at": "2026-12-05T19:40:02.118250Z",
             "created_by": "api-key:8b1e6f0a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}""".formatted(BINDING);

    /** The example request body and success answer of one operation, as JSON text. */
    record Example(Optional<String> request, Optional<String> response) {}

    private static final Map<String, Example> EXAMPLES = Map.ofEntries(
            both("createOrganization", """
                    {"name": "acme"}""", """
                    {"id": "%s", "name": "acme", "created_at": "2026-11-29T20:25:44.679118Z",
                     "admin_api_key": {"id": "%s", "name": "admin of acme", "role": "admin", "prefix": "crate_3kTq9Z",
                      "created_at": "2026-11-29T20:25:44.679118Z",
                      "grants": {}, "read_only": false, "key": "crate_3kTq9ZexampleExampleExampleExampleExampleExa1b2C3d"}}""".formatted(ORG, KEY_ID)),
            answer("listOrganizations", """
                    {"organizations": [{"id": "%s", "name": "acme", "created_at": "2026-11-29T20:25:44.679118Z"}]}""".formatted(ORG)),
            answer("getKeyStatus", """
                    {"org_keys": [{"version": 2, "state": "active", "root_kid": "rk-1a2b3c4d5e6f", "wrap_count": 12,
                      "created_at": "2026-11-29T21:00:00Z"},
                     {"version": 1, "state": "retiring", "root_kid": "rk-1a2b3c4d5e6f", "wrap_count": 340,
                      "created_at": "2026-08-31T09:00:00Z"}],
                     "transport_keys": [{"kid": "tk-9f8e7d6c5b4a3921", "state": "active", "created_at": "2026-11-20T09:00:00Z"},
                      {"kid": "tk-0a1b2c3d4e5f6071", "state": "grace", "created_at": "2026-10-21T09:00:00Z",
                       "grace_until": "2026-11-21T09:00:00Z"}],
                     "org_key_rotation": {"last_rotation": "2026-11-29T21:00:00Z", "next_rotation": "2027-02-27T21:00:00Z",
                      "period": "PT2160H"},
                     "transport_key_rotation": {"last_rotation": "2026-11-20T09:00:00Z", "next_rotation": "2026-12-20T09:00:00Z",
                      "period": "PT720H"},
                     "rewrap": {"running": true, "rewrapped": 200, "remaining": 140},
                     "rotations": [{"tier": "org", "from_key": "v1", "to_key": "v2", "trigger": "api", "state": "running",
                       "rewrapped": 200, "started_at": "2026-11-29T21:00:00Z"}]}"""),
            both("rotateKeys", """
                    {"tier": "org"}""", """
                    {"tier": "org", "from_key": "v1", "to_key": "v2", "trigger": "api", "state": "running", "rewrapped": 0,
                     "started_at": "2026-11-29T21:00:00Z"}"""),
            answer("getRootKeyStatus", """
                    {"active_kid": "rk-7c6b5a493827", "source": "CRATE_ROOT_KEY (previous: CRATE_ROOT_KEY_PREVIOUS)",
                     "keys": [{"kid": "rk-1a2b3c4d5e6f", "configured": true, "active": false, "org_keys": 0, "needed": false},
                      {"kid": "rk-7c6b5a493827", "configured": true, "active": true, "org_keys": 42, "needed": true}],
                     "no_longer_needed": ["rk-1a2b3c4d5e6f"],
                     "rewrap": {"running": false, "rewrapped": 0, "remaining": 0},
                     "rotations": [{"tier": "root", "from_key": "rk-1a2b3c4d5e6f", "to_key": "rk-7c6b5a493827",
                       "trigger": "operator", "state": "done", "rewrapped": 42, "started_at": "2026-11-29T21:00:00Z",
                       "finished_at": "2026-11-29T21:00:01Z"}]}"""),
            answer("rotateRootKey", """
                    {"tier": "root", "from_key": "rk-1a2b3c4d5e6f", "to_key": "rk-7c6b5a493827", "trigger": "operator",
                     "state": "running", "rewrapped": 0, "started_at": "2026-11-29T21:00:00Z"}"""),
            answer("getOrganization", """
                    {"id": "%s", "name": "acme", "created_at": "2026-11-29T20:25:44.679118Z"}""".formatted(ORG)),
            both("storeSecret", """
                    {"name": "DATABASE_URL", "environment": "prod", "sealed": true, "tags": ["backend"],
                     "encrypted_value": "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoidGstN2YzYSIsImNyYXRlX29yZyI6IjNmMGMxYTUyLThkNGUtNGMxYi05YTU3LTJmNmYxZTBiN2MxMSIsImNyYXRlX2VudiI6InByb2QiLCJjcmF0ZV9uYW1lIjoiREFUQUJBU0VfVVJMIn0.c2VhbGVk.aXY.Y2lwaGVydGV4dA.dGFn"}""", """
                    {"name": "DATABASE_URL", "environment": "prod", "version": 3, "tags": ["backend"],
                     "updated_at": "2026-11-29T20:31:02.118250Z"}"""),
            answer("listSecrets", """
                    {"secrets": [{"name": "DATABASE_URL", "environment": "prod", "version": 3, "tags": ["backend"],
                      "updated_at": "2026-11-29T20:31:02.118250Z"}]}"""),
            answer("getPublicKey", """
                    {"public_key_pem": "-----BEGIN PUBLIC KEY-----\\nMIIBojANBgkqhkiG9w0BAQEFAAOCAY8AMIIBigKCAYEA...\\n-----END PUBLIC KEY-----\\n",
                     "kid": "tk-7f3a9c2e1b4d", "algorithm": "RSA-OAEP-256"}"""),
            both("retrieveSecrets", """
                    {"environment": "prod", "tags": ["backend"], "limit": 100, "after": "API_TOKEN",
                     "client_public_jwk": {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                      "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}""", """
                    {"sealed_payload": "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..aXY.Y2lwaGVydGV4dA.dGFn",
                     "next": "DATABASE_URL"}"""),
            none("deleteSecret"),
            answer("listSecretVersions", """
                    {"name": "DATABASE_URL", "environment": "prod", "current_version": 3, "deleted": false, "purged": false,
                     "versions": [{"version": 3, "created_at": "2026-11-29T20:31:02.118250Z", "created_by": "user:5c1e2d3f-aaaa-bbbb-cccc-0123456789ab",
                      "tags": ["backend"], "destroyed": false},
                      {"version": 2, "created_at": "2026-11-28T09:12:40.000000Z", "created_by": "api-key:%s",
                      "tags": ["backend"], "destroyed": false}]}""".formatted(KEY_ID)),
            both("rollbackSecret", """
                    {"version": 2}""", """
                    {"name": "DATABASE_URL", "environment": "prod", "version": 4, "tags": ["backend"],
                     "updated_at": "2026-11-29T21:02:11.000000Z"}"""),
            answer("restoreSecret", """
                    {"name": "DATABASE_URL", "environment": "prod", "version": 4, "tags": ["backend"],
                     "updated_at": "2026-11-29T21:05:00.000000Z"}"""),
            answer("listAuditEvents", """
                    {"events": [{"id": "0b6c2f1e-5d4a-4f3b-9e8d-7c6b5a4f3e2d", "seq": 42, "occurred_at": "2026-11-29T21:05:00.000000Z",
                      "actor_type": "api_key", "actor_id": "%s", "actor_name": "ci deploy", "action": "secret.read",
                      "environment": "prod", "name": "DATABASE_URL", "version": 4,
                      "detail": "{\\"secrets\\":[{\\"name\\":\\"DATABASE_URL\\",\\"version\\":4}]}", "outcome": "success",
                      "client_ip": "10.0.3.7", "user_agent": "crate-cli/0.1.0", "request_id": "5d2c7b7e-1f0a-4f3e-9d61-2b8f0f6a9c42",
                      "prev_hash": "9f2b5c0d1e3a4b6c8d7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",
                      "hash": "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"}],
                     "next_cursor": "42"}""".formatted(KEY_ID)),
            none("exportAuditEvents"),
            answer("verifyAuditChain", """
                    {"intact": false, "checked": 41, "anchor_seq": 0, "last_seq": 41,
                     "last_hash": "9f2b5c0d1e3a4b6c8d7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",
                     "first_broken": {"seq": 42, "id": "0b6c2f1e-5d4a-4f3b-9e8d-7c6b5a4f3e2d", "reason": "hash_mismatch"}}"""),
            answer("listTags", """
                    {"tags": [{"name": "backend", "metadata": {"color": "#3b82f6", "description": "Server-side services"}}]}"""),
            both("putTag", """
                    {"color": "#3b82f6", "description": "Server-side services"}""", """
                    {"name": "backend", "metadata": {"color": "#3b82f6", "description": "Server-side services"}}"""),
            none("deleteTag"),
            answer("listEnvironments", """
                    {"environments": [{"name": "dev", "builtin": true, "created_at": "2026-11-29T20:25:44.679118Z"},
                     {"name": "qa", "builtin": false, "created_at": "2026-11-29T20:40:10.000000Z"}]}"""),
            both("createEnvironment", """
                    {"name": "qa"}""", """
                    {"name": "qa", "builtin": false, "created_at": "2026-11-29T20:40:10.000000Z"}"""),
            both("createApiKey", """
                    {"name": "ci deploy", "role": "viewer", "expires_at": "2027-01-01T00:00:00Z"}""", """
                    {"id": "%s", "name": "ci deploy", "role": "viewer", "prefix": "crate_9QwErT",
                     "created_at": "2026-11-29T20:45:00.000000Z", "expires_at": "2027-01-01T00:00:00Z",
                     "grants": {}, "read_only": false, "key": "crate_9QwErTexampleExampleExampleExampleExampleExa4e5F6g"}""".formatted(KEY_ID)),
            answer("listApiKeys", """
                    {"api_keys": [{"id": "%s", "name": "ci deploy", "role": "viewer", "prefix": "crate_9QwErT",
                      "created_at": "2026-11-29T20:45:00.000000Z", "expires_at": "2027-01-01T00:00:00Z",
                      "last_used_at": "2026-11-30T08:12:09.000000Z", "grants": {}, "read_only": false}]}""".formatted(KEY_ID)),
            none("revokeApiKey"),
            answer("listMembers", """
                    {"members": [{"id": "%s", "subject": "5c1e2d3f-aaaa-bbbb-cccc-0123456789ab", "email": "alice@example.com",
                      "name": "Alice Anders", "role": "member", "grants": {"dev": ["read", "write"]},
                      "created_at": "2026-11-29T20:50:00.000000Z"}]}""".formatted(KEY_ID)),
            both("addMember", """
                    {"email": "alice@example.com", "role": "member", "grants": {"dev": ["read"]}}""", """
                    {"id": "%s", "email": "alice@example.com", "role": "member", "grants": {"dev": ["read"]},
                     "created_at": "2026-11-29T20:50:00.000000Z"}""".formatted(KEY_ID)),
            both("updateMember", """
                    {"role": "member", "grants": {"dev": ["read", "write"], "staging": ["read"]}}""", """
                    {"id": "%s", "subject": "5c1e2d3f-aaaa-bbbb-cccc-0123456789ab", "email": "alice@example.com",
                     "name": "Alice Anders", "role": "member", "grants": {"dev": ["read", "write"], "staging": ["read"]},
                     "created_at": "2026-11-29T20:50:00.000000Z"}""".formatted(KEY_ID)),
            none("removeMember"),
            answer("getMe", """
                    {"kind": "user", "subject": "5c1e2d3f-aaaa-bbbb-cccc-0123456789ab", "email": "alice@example.com",
                     "name": "Alice Anders", "organizations": [{"id": "%s", "name": "acme", "role": "member"}]}""".formatted(ORG)),
            both("createWorkloadIdentity", WORKLOAD_REQUEST, WORKLOAD_IDENTITY),
            answer("listWorkloadIdentities", "{\"workload_identities\": [" + WORKLOAD_IDENTITY + "]}"),
            answer("getWorkloadIdentity", WORKLOAD_IDENTITY),
            both("updateWorkloadIdentity", """
                    {"token_ttl_seconds": 1800}""", WORKLOAD_IDENTITY),
            none("deleteWorkloadIdentity"),
            both("exchangeWorkloadToken", """
                    {"subject_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL29pZGMuZXhhbXBsZSJ9.c2ln",
                     "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "organization": "%s"}""".formatted(ORG), """
                    {"access_token": "crate_wl_3kQ9ZexampleExampleExampleExampleExample1",
                     "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "token_type": "Bearer",
                     "expires_in": 900, "binding": "%s"}""".formatted(BINDING)),
            answer("getAuthConfig", """
                    {"oidc_enabled": true, "issuer": "https://id.example.com/realms/crate",
                     "device_authorization_endpoint": "https://id.example.com/realms/crate/protocol/openid-connect/auth/device",
                     "token_endpoint": "https://id.example.com/realms/crate/protocol/openid-connect/token",
                     "client_id": "crate-cli", "scopes": ["openid", "profile", "email", "offline_access"],
                     "authorization_endpoint": "https://id.example.com/realms/crate/protocol/openid-connect/auth",
                     "console_client_id": "crate-console"}"""));

    private OperationExamples() {}

    static Optional<Example> of(String operationId) {
        return Optional.ofNullable(EXAMPLES.get(operationId));
    }

    private static Map.Entry<String, Example> both(String id, String request, String response) {
        return Map.entry(id, new Example(Optional.of(request), Optional.of(response)));
    }

    private static Map.Entry<String, Example> answer(String id, String response) {
        return Map.entry(id, new Example(Optional.empty(), Optional.of(response)));
    }

    /** An operation that answers 204 with no body and takes none. */
    private static Map.Entry<String, Example> none(String id) {
        return Map.entry(id, new Example(Optional.empty(), Optional.empty()));
    }
}
