package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.cli.Main;
import dev.crate.cli.run.ChildEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload tokens and bindings on the command line, short of a server (CliIT and WorkloadIdentityIT have one). */
class WorkloadCommandsTest {
    private static final String NO_SERVER = "http://127.0.0.1:1";
    private static final String ORG = "00000000-0000-0000-0000-000000000000";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnLWNhbmFyeQ";

    @TempDir
    Path home;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("CRATE_SERVER", NO_SERVER);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Headless.Result admin(String... args) {
        return Headless.run(env("CRATE_TOKEN", "t", "CRATE_ORG", ORG), home, args);
    }

    @Test
    void theGroupAndItsVerbsHaveHelp() {
        Headless.Result group = admin("workload-identities", "--help");
        assertEquals(0, group.exit(), group.err());
        for (String verb : new String[] {"create", "list", "get", "update", "delete"}) {
            assertTrue(group.out().contains("  " + verb + " "), group.out());
        }
        Headless.Result create = admin("workload-identities", "create", "--help");
        assertEquals(0, create.exit(), create.err());
        assertTrue(create.out().startsWith("Usage: crate workload-identities create [options] NAME"), create.out());
        for (String option : new String[] {
            "--issuer",
            "--audience",
            "--subject",
            "--claim",
            "--role",
            "--grants",
            "--environments",
            "--tags",
            "--read-only",
            "--ttl"
        }) {
            assertTrue(create.out().contains(option), option + ": " + create.out());
        }
        assertTrue(admin("help").out().contains("workload-identities"));
    }

    @Test
    void completionScriptsKnowTheCommandAndItsOptions() {
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            Headless.Result r = admin("completion", shell);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("workload-identities") && r.out().contains("claim"), shell);
        }
    }

    @Test
    void createNeedsAnIssuerAnAudienceASubjectAndARole() {
        Headless.Result r = admin(
                "workload-identities",
                "create",
                "ci",
                "--issuer",
                "https://issuer.example",
                "--audience",
                "crate",
                "--role",
                "viewer");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().startsWith("crate: a binding needs --issuer, --audience, --subject"), r.err());
        assertTrue(r.err().endsWith("see 'crate workload-identities create --help'\n"), r.err());
    }

    @Test
    void badClaimsAndLifetimesAreUsageErrorsBeforeAnyRequest() {
        Headless.Result claim = admin(
                "workload-identities",
                "create",
                "ci",
                "--issuer",
                "https://i",
                "--audience",
                "crate",
                "--subject",
                "s",
                "--role",
                "viewer",
                "--claim",
                "repository=acme/api",
                "--claim",
                "ref");
        assertEquals(2, claim.exit(), claim.all());
        assertTrue(claim.err().contains("NAME=VALUE"), claim.err());
        Headless.Result ttl = admin(
                "workload-identities",
                "create",
                "ci",
                "--issuer",
                "https://i",
                "--audience",
                "crate",
                "--subject",
                "s",
                "--role",
                "viewer",
                "--ttl",
                "2d");
        assertEquals(2, ttl.exit(), ttl.all());
        assertTrue(ttl.err().contains("--ttl"), ttl.err());
        Headless.Result valid = admin(
                "workload-identities",
                "create",
                "ci",
                "--issuer",
                "https://i",
                "--audience",
                "crate",
                "--subject",
                "repo:acme/api:*",
                "--claim",
                "a=b",
                "--claim",
                "kubernetes.io/namespace=pay*",
                "--ttl",
                "1h",
                "--role",
                "viewer");
        assertEquals(1, valid.exit(), "parsed, then the server cannot be reached: " + valid.all());
        assertTrue(valid.err().contains("cannot reach the Crate server"), valid.err());
    }

    @Test
    void updateWantsSomethingToChange() {
        Headless.Result r = admin("workload-identities", "update", "ci");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("nothing to change"), r.err());
        Headless.Result both = admin("workload-identities", "update", "ci", "--read-only", "--no-read-only");
        assertEquals(2, both.exit(), both.all());
    }

    @Test
    void aMissingTokenFileIsNamedOnTheLeanPathAndTheFullOneAlike() {
        Path missing = home.resolve("no-such-token");
        Map<String, String> env = env("CRATE_WORKLOAD_TOKEN_FILE", missing.toString(), "CRATE_ORG", ORG);
        String[] args = {"run", "--env", "dev", "--", "true"};
        Headless.Result lean = Headless.run(env, home, args);
        Headless.Result full = Headless.run(Main::executeFull, env, home, args);
        assertEquals(1, lean.exit(), lean.all());
        assertEquals("crate: cannot read CRATE_WORKLOAD_TOKEN_FILE (" + missing + "): no such file\n", lean.err());
        assertEquals(lean, full);
        Headless.Result list = Headless.run(env, home, "secrets", "list");
        assertEquals(lean.err(), list.err());
    }

    @Test
    void theExchangeNeedsTheOrganizationsId() throws Exception {
        Path file = Files.writeString(home.resolve("token"), JWT);
        Headless.Result none = Headless.run(env("CRATE_WORKLOAD_TOKEN_FILE", file.toString()), home, "secrets", "list");
        assertEquals(1, none.exit(), none.all());
        assertTrue(none.err().contains("use --org, CRATE_ORG"), none.err());
        Headless.Result named = Headless.run(
                env("CRATE_WORKLOAD_TOKEN_FILE", file.toString(), "CRATE_ORG", "acme"), home, "run", "--", "true");
        assertEquals(1, named.exit(), named.all());
        assertTrue(
                named.err().contains("needs the organization's id, not a name ('acme' from CRATE_ORG)"), named.err());
        assertFalse(named.all().contains("canary") || none.all().contains("canary"));
    }

    @Test
    void theTokenIsExchangedAtTheConfiguredServerAndNeverPrinted() throws Exception {
        Path file = Files.writeString(home.resolve("token"), JWT);
        Headless.Result r = Headless.run(
                env("CRATE_WORKLOAD_TOKEN_FILE", file.toString(), "CRATE_ORG", ORG), home, "run", "--", "true");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("cannot reach the Crate server at " + NO_SERVER), r.err());
        assertFalse(r.all().contains("canary"), r.all());
        Headless.Result value = Headless.run(
                env("CRATE_WORKLOAD_TOKEN", "not a jwt canary", "CRATE_ORG", ORG), home, "secrets", "list");
        assertEquals(
                "crate: CRATE_WORKLOAD_TOKEN does not hold a JWT (three base64url parts separated by dots)\n",
                value.err());
    }

    @Test
    void crateTokenWinsOverAWorkloadTokenAndSaysSo() throws Exception {
        Headless.Result r = Headless.run(
                env("CRATE_TOKEN", "t", "CRATE_ORG", ORG, "CRATE_WORKLOAD_TOKEN_FILE", "/nonexistent"),
                home,
                "secrets",
                "list");
        assertEquals(1, r.exit(), r.all());
        assertTrue(
                r.err().contains("warning: CRATE_TOKEN is set and wins; CRATE_WORKLOAD_TOKEN_FILE is not used"),
                r.err());
        assertTrue(r.err().contains("cannot reach the Crate server"), "CRATE_TOKEN was used: " + r.err());
    }

    @Test
    void loginTakesEitherAnApiKeyOrAWorkloadTokenFile() {
        Headless.Result r = admin("login", "--token", "--workload-token-file", "/f");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("exclude each other"), r.err());
        Headless.Result missing = admin("login", "--workload-token-file", "missing-file");
        assertEquals(1, missing.exit(), missing.all());
        assertTrue(
                missing.err().contains("cannot read --workload-token-file (" + home.resolve("missing-file")),
                missing.err());
    }

    @Test
    void theChildGetsNeitherCredentialButMayKeepTheFilesPath() {
        Map<String, String> child = ChildEnvironment.merge(
                Map.of("CRATE_WORKLOAD_TOKEN", JWT, "CRATE_WORKLOAD_TOKEN_FILE", "/t", "CRATE_TOKEN", "k"),
                Map.of(),
                false);
        assertEquals(Map.of("CRATE_WORKLOAD_TOKEN_FILE", "/t"), child);
    }
}
