package dev.crate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A pod with nothing but its projected service-account token: {@code crate run} with
 * {@code CRATE_WORKLOAD_TOKEN_FILE} only, against the packaged server, with tokens from a Kubernetes-style
 * issuer served on 127.0.0.1 ({@link KubernetesIssuer}) and a binding made with {@code crate workload-identities}
 * and the bootstrap admin key. No platform token may ever show up in output or in the config directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadIdentityIT {
    private static final String CANARY_DEV = "canary-wl-dev-5e1b";
    private static final String CANARY_PROD = "canary-wl-prod-93c0";
    private static final String NAMESPACE = "payments";
    private static final String ACCOUNT = "deployer";

    private static CrateServer server;
    private static KubernetesIssuer issuer;
    private static Launcher admin;
    private static Launcher pod;
    private static String orgId;
    private static Path tokenFile;
    /** Every platform token handed out, to prove none leaks. */
    private static final List<String> platformTokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = CrateServer.start();
        issuer = KubernetesIssuer.start();
        admin = new Launcher(Files.createTempDirectory("crate-wl-it-admin"));
        admin.env.put("CRATE_SERVER", server.url);
        admin.env.put("CRATE_TOKEN", server.adminKey);
        Launcher.Result orgs = admin.run("orgs", "list", "-o", "json");
        assertEquals(0, orgs.exit(), orgs.all());
        orgId = Json.MAPPER.readTree(orgs.out()).findValue("id").asText();
        assertEquals(
                0,
                admin.run("secrets", "set", "WL_DEV=" + CANARY_DEV, "--env", "dev")
                        .exit());
        assertEquals(
                0,
                admin.run("secrets", "set", "WL_PROD=" + CANARY_PROD, "--env", "prod")
                        .exit());

        pod = new Launcher(Files.createTempDirectory("crate-wl-it-pod"));
        pod.env.put("CRATE_SERVER", server.url);
        tokenFile = pod.home.resolve("var/run/secrets/tokens/crate");
        Files.createDirectories(tokenFile.getParent());
        rotate(NAMESPACE, ACCOUNT, "crate");
    }

    @AfterAll
    static void stop() throws Exception {
        if (issuer != null) {
            issuer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Writes a new token to the file, as the kubelet does before the old one expires. */
    private static String rotate(String namespace, String account, String audience) throws Exception {
        String token = issuer.token(namespace, account, audience);
        platformTokens.add(token);
        Path next = tokenFile.resolveSibling("crate.next");
        Files.writeString(next, token);
        Files.move(next, tokenFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return token;
    }

    private static Map<String, String> workloadEnv() {
        return Map.of("CRATE_WORKLOAD_TOKEN_FILE", tokenFile.toString(), "CRATE_ORG", orgId);
    }

    private static void assertNoPlatformToken(String text) {
        for (String token : platformTokens) {
            for (String part : token.split("\\.")) {
                assertFalse(text.contains(part), "a platform token leaked: " + text);
            }
        }
    }

    private static Launcher.Result runInPod(String... args) throws Exception {
        Launcher.Result result = pod.run(workloadEnv(), null, args);
        assertNoPlatformToken(result.all());
        return result;
    }

    @Test
    @Order(1)
    void anAdminBindsTheServiceAccountWithTheCli() throws Exception {
        Launcher.Result created = admin.run(
                "workload-identities",
                "create",
                "payments deployer",
                "--issuer",
                issuer.url,
                "--audience",
                "crate",
                "--subject",
                "system:serviceaccount:payments:*",
                "--claim",
                "kubernetes.io/namespace=" + NAMESPACE,
                "--claim",
                "kubernetes.io/serviceaccount/name=deploy*",
                "--role",
                "member",
                "--grants",
                "dev:read",
                "--environments",
                "dev",
                "--read-only",
                "--ttl",
                "10m",
                "-o",
                "json");
        assertEquals(0, created.exit(), created.all());
        JsonNode binding = Json.MAPPER.readTree(created.out());
        assertFalse(binding.path("id").asText().isEmpty(), created.out());
        assertEquals(issuer.url, binding.path("issuer").asText());
        assertEquals(
                NAMESPACE,
                binding.path("claims").path("kubernetes.io/namespace").asText());
        assertEquals(600, binding.path("token_ttl_seconds").asInt());
        assertTrue(binding.path("read_only").asBoolean());

        Launcher.Result list = admin.run("workload-identities", "list");
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().startsWith("ID") && list.out().contains("payments deployer"), list.out());
        assertTrue(list.out().contains("member dev:read env=dev read-only"), list.out());
        Launcher.Result byName = admin.run("workload-identities", "get", "payments deployer", "-o", "yaml");
        assertEquals(0, byName.exit(), byName.all());
        assertTrue(byName.out().contains("system:serviceaccount:payments:*"), byName.out());
    }

    @Test
    @Order(2)
    void runNeedsNothingButTheTokenFile() throws Exception {
        Launcher.Result run = runInPod(
                "run",
                "--env",
                "dev",
                "--",
                "sh",
                "-c",
                "test \"$WL_DEV\" = '" + CANARY_DEV + "' && test -z \"$CRATE_TOKEN\" && echo child-ok");
        assertEquals(0, run.exit(), run.all());
        assertEquals("child-ok\n", run.out());
        assertFalse(Files.exists(pod.home.resolve(".config/crate/credentials.json")), "nothing stored");
        // a second process exchanges the same platform token again while the first Crate token lives
        // (docs/API.md, section 14)
        Launcher.Result again = runInPod("secrets", "list", "--env", "dev");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("WL_DEV"), again.out());
        rotate(NAMESPACE, ACCOUNT, "crate");
        Launcher.Result fetch = runInPod("secrets", "fetch", "--env", "dev", "--format", "json");
        assertEquals(0, fetch.exit(), fetch.all());
        assertEquals(
                CANARY_DEV, Json.MAPPER.readTree(fetch.out()).path("WL_DEV").asText());
    }

    @Test
    @Order(3)
    void theBindingsScopeHolds() throws Exception {
        rotate(NAMESPACE, ACCOUNT, "crate");
        Launcher.Result prod = runInPod("run", "--env", "prod", "--", "echo", "child-ran");
        assertEquals(1, prod.exit(), prod.all());
        assertFalse(prod.all().contains("child-ran") || prod.all().contains(CANARY_PROD), prod.all());
        rotate(NAMESPACE, ACCOUNT, "crate");
        Launcher.Result write = runInPod("secrets", "set", "WL_NEW=x", "--env", "dev");
        assertEquals(1, write.exit(), write.all());
    }

    @Test
    @Order(4)
    void theFileIsReadAgainOnEveryCallAsTheKubeletRotatesIt() throws Exception {
        rotate(NAMESPACE, ACCOUNT, "crate");
        Launcher.Result second = runInPod("secrets", "list", "--env", "dev");
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("WL_DEV"), second.out());

        rotate("other-namespace", ACCOUNT, "crate");
        Launcher.Result refused = runInPod("run", "--env", "dev", "--", "echo", "child-ran");
        assertEquals(1, refused.exit(), refused.all());
        assertEquals(
                "crate: the Crate server at " + server.url + " refused the workload token from"
                        + " CRATE_WORKLOAD_TOKEN_FILE (" + tokenFile + ") for organization " + orgId
                        + ": no workload identity binding accepts it (check the binding's issuer, audience,"
                        + " subject and claim rules, and that the token has not expired;"
                        + " the organization's audit trail records why)\n",
                refused.err());
        assertEquals("", refused.out());

        rotate(NAMESPACE, ACCOUNT, "not-crate");
        Launcher.Result audience = runInPod("secrets", "list", "--env", "dev");
        assertEquals(1, audience.exit(), audience.all());
        assertTrue(
                audience.err().contains("refused the workload token from CRATE_WORKLOAD_TOKEN_FILE"), audience.err());

        rotate(NAMESPACE, ACCOUNT, "crate");
        assertEquals(0, runInPod("secrets", "list", "--env", "dev").exit());
    }

    @Test
    @Order(5)
    void theTokenItselfMayComeInAVariable() throws Exception {
        String token = issuer.token(NAMESPACE, "deployer-2", "crate");
        platformTokens.add(token);
        Launcher.Result fetch = pod.run(
                Map.of("CRATE_WORKLOAD_TOKEN", token, "CRATE_ORG", orgId),
                null,
                "run",
                "--env",
                "dev",
                "--",
                "sh",
                "-c",
                "test -z \"$CRATE_WORKLOAD_TOKEN\" && printenv WL_DEV");
        assertEquals(0, fetch.exit(), fetch.all());
        assertEquals(CANARY_DEV + "\n", fetch.out());
        assertNoPlatformToken(fetch.err());
    }

    @Test
    @Order(6)
    void loginKeepsTheCrateTokenAndTheFilesPathAndRenewsFromTheRotatedFile() throws Exception {
        rotate(NAMESPACE, ACCOUNT, "crate");
        Launcher vm = new Launcher(Files.createTempDirectory("crate-wl-it-login"));
        vm.env.put("CRATE_SERVER", server.url);
        Launcher.Result login = vm.run("login", "--workload-token-file", tokenFile.toString(), "--org", orgId);
        assertEquals(0, login.exit(), login.all());
        assertTrue(login.err().startsWith("logged in to " + server.url + " with a workload identity"), login.err());
        assertNoPlatformToken(login.all());
        Path credentials = vm.home.resolve(".config/crate/credentials.json");
        ObjectNode stored =
                (ObjectNode) Json.MAPPER.readTree(credentials.toFile()).get(server.url);
        assertEquals("workload", stored.path("kind").asText());
        assertEquals(tokenFile.toString(), stored.path("token_file").asText());
        assertNoPlatformToken(Files.readString(credentials));
        String first = stored.path("access_token").asText();

        Launcher.Result list = vm.run("secrets", "list", "--env", "dev");
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().contains("WL_DEV"), list.out());

        // an admin narrows the subject rule: the server ends the binding's tokens, and the stored one is
        // exchanged again after the server's 401, without the user doing anything (the pod still matches)
        Launcher.Result narrowed = admin.run(
                "workload-identities",
                "update",
                "payments deployer",
                "--subject",
                "system:serviceaccount:payments:de*");
        assertEquals(0, narrowed.exit(), narrowed.all());
        Launcher.Result afterChange = vm.run("secrets", "list", "--env", "dev");
        assertEquals(0, afterChange.exit(), afterChange.all());
        assertTrue(afterChange.out().contains("WL_DEV"), afterChange.out());
        String reExchanged = Json.MAPPER
                .readTree(credentials.toFile())
                .get(server.url)
                .path("access_token")
                .asText();
        assertNotEquals(first, reExchanged, "the refused token was replaced");
        first = reExchanged;

        // the Crate token runs out; the kubelet has rotated the file meanwhile
        rotate(NAMESPACE, ACCOUNT, "crate");
        expire(credentials);
        Launcher.Result renewed = vm.run("run", "--env", "dev", "--", "printenv", "WL_DEV");
        assertEquals(0, renewed.exit(), renewed.all());
        assertEquals(CANARY_DEV + "\n", renewed.out());
        JsonNode after = Json.MAPPER.readTree(credentials.toFile()).get(server.url);
        assertNotEquals(first, after.path("access_token").asText(), "exchanged anew");
        assertNoPlatformToken(Files.readString(credentials));

        rotate("other-namespace", ACCOUNT, "crate");
        expire(credentials);
        Launcher.Result refused = vm.run("secrets", "list", "--env", "dev");
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(
                refused.err()
                        .contains("refused the workload token from the token file of 'crate login"
                                + " --workload-token-file' (" + tokenFile + ")"),
                refused.err());
        assertNoPlatformToken(refused.all());
        rotate(NAMESPACE, ACCOUNT, "crate");
    }

    private static void expire(Path credentials) throws Exception {
        ObjectNode all = (ObjectNode) Json.MAPPER.readTree(credentials.toFile());
        ((ObjectNode) all.get(server.url)).put("expires_at", "2020-01-01T00:00:00Z");
        Files.writeString(credentials, Json.MAPPER.writeValueAsString(all));
    }

    @Test
    @Order(7)
    void deletingTheBindingEndsTheWorkloadsAccess() throws Exception {
        Launcher.Result deleted = admin.run("workload-identities", "delete", "payments deployer");
        assertEquals(0, deleted.exit(), deleted.all());
        assertTrue(deleted.err().startsWith("deleted workload identity binding "), deleted.err());
        Launcher.Result refused = runInPod("run", "--env", "dev", "--", "echo", "child-ran");
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.err().contains("refused the workload token"), refused.err());
        Map<String, String> env = new HashMap<>(workloadEnv());
        env.put("CRATE_TOKEN", server.adminKey);
        Launcher.Result explicit = pod.run(env, null, "secrets", "list", "--env", "dev");
        assertEquals(0, explicit.exit(), "CRATE_TOKEN wins: " + explicit.all());
        assertTrue(explicit.err().contains("CRATE_TOKEN is set and wins"), explicit.err());
    }
}
