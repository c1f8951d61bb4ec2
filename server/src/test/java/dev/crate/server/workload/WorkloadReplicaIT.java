package dev.crate.server.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.server.testing.ItDatabase;
import dev.crate.server.testing.Replicas;
import dev.crate.server.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workload tokens across replicas (docs/API.md, section 14): two packaged servers on one database. A token
 * exchanged through replica B is used on B while an admin narrows, re-rules and deletes its binding through
 * replica A; each change counts on B's very next request.
 */
class WorkloadReplicaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Replicas replicas;
    private String token;
    private ItDatabase database;

    @BeforeEach
    void freshDatabase() throws Exception {
        replicas = Replicas.create("crate_workload_it");
        token = replicas.token;
        database = replicas.database;
    }

    @AfterEach
    void cleanUp() throws Exception {
        replicas.close();
    }

    private ServerProcess start(String rootKey) throws Exception {
        Map<String, String> env = database.serverSettings();
        env.put("CRATE_ROOT_KEY", rootKey);
        ServerProcess server = replicas.start(env);
        return server;
    }

    /** The exchange, without any Crate credential: the Crate token. */
    private static String exchange(ServerProcess server, String org, String platformToken) throws Exception {
        String body = JSON.writeValueAsString(Map.of(
                "subject_token", platformToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                "organization", org));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/auth/workload-token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private void change(ServerProcess server, String org, String binding, Map<String, Object> patch) throws Exception {
        HttpResponse<String> changed =
                server.send(token, "PATCH", "/organization/" + org + "/workload-identities/" + binding, patch);
        assertEquals(200, changed.statusCode(), changed.body());
    }

    private static int list(ServerProcess server, String crateToken, String org) throws Exception {
        return server.send(crateToken, "GET", "/organization/" + org + "/secrets?env=dev", null)
                .statusCode();
    }

    @Test
    void bindingChangesThroughOneReplicaCountOnTheOthersNextRequest() throws Exception {
        String rootKey = Replicas.newRootKey();
        ServerProcess a = start(rootKey).awaitReady();
        ServerProcess b = start(rootKey).awaitReady();
        String org = a.defaultOrg();
        try (TestIssuer k8s = new TestIssuer()) {
            HttpResponse<String> created = a.post(
                    "/organization/" + org + "/workload-identities",
                    Map.of(
                            "name", "payments pods",
                            "issuer", k8s.issuer,
                            "audience", "crate",
                            "subject", "system:serviceaccount:payments:*",
                            "role", "member",
                            "grants", Map.of("dev", List.of("read")),
                            "token_ttl_seconds", 3600));
            assertEquals(201, created.statusCode(), created.body());
            String binding = JSON.readTree(created.body()).get("id").asText();

            String api = exchange(b, org, k8s.sign(k8s.serviceAccount("payments", "api")));
            assertEquals(200, list(b, api, org));
            change(a, org, binding, Map.of("environments", List.of("staging")));
            assertEquals(403, list(b, api, org), "narrowed through A: B refuses dev at once");
            change(a, org, binding, Map.of("environments", List.of("dev")));
            assertEquals(200, list(b, api, org), "widened again: the token itself lives on");

            change(a, org, binding, Map.of("subject", "system:serviceaccount:payments:worker"));
            assertEquals(401, list(b, api, org), "rules changed through A: B refuses the old token at once");

            String worker = exchange(b, org, k8s.sign(k8s.serviceAccount("payments", "worker")));
            assertEquals(200, list(b, worker, org));
            HttpResponse<String> deleted = a.delete("/organization/" + org + "/workload-identities/" + binding);
            assertEquals(204, deleted.statusCode(), deleted.body());
            assertEquals(401, list(b, worker, org), "deleted through A: B refuses the token at once");
        }
    }
}
