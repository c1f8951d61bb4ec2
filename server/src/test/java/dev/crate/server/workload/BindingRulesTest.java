package dev.crate.server.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Globs and claim names of binding rules, without a server (docs/API.md, section 14). */
class BindingRulesTest {
    private static final Map<String, Object> K8S = Map.of(
            "aud",
            List.of("crate"),
            "sub",
            "system:serviceaccount:payments:api",
            "kubernetes.io",
            Map.of("namespace", "payments", "serviceaccount", Map.of("name", "api", "uid", "u-1")),
            "groups",
            List.of("devs", "ops"),
            "run_number",
            42);

    private static WorkloadIdentityRecord binding(String audience, String subject) {
        WorkloadIdentityRecord row = new WorkloadIdentityRecord();
        row.audience = audience;
        row.subject = subject;
        return row;
    }

    @Test
    void aGlobStarMatchesAnyRunIncludingSeparators() {
        assertTrue(BindingRules.glob("repo:acme/*", "repo:acme/payments:ref:refs/heads/main"));
        assertTrue(BindingRules.glob("*:main", "repo:acme/payments:main"));
        assertTrue(BindingRules.glob("a*b*c", "abc"));
        assertTrue(BindingRules.glob("*", ""));
        assertFalse(BindingRules.glob("repo:acme/*", "repo:acme-evil/x"));
        assertFalse(BindingRules.glob("exact", "exactly"));
    }

    @Test
    void aGlobTreatsEverythingButTheStarLiterally() {
        assertFalse(BindingRules.glob("a.c", "abc"));
        assertTrue(BindingRules.glob("a.c", "a.c"));
        assertFalse(BindingRules.glob("(x|y)*", "x1"));
        assertTrue(BindingRules.glob("[x]*", "[x]1"));
    }

    @Test
    void aSlashedNameWalksNestedObjects() {
        assertEquals("payments", BindingRules.claim(K8S, "kubernetes.io/namespace"));
        assertEquals("api", BindingRules.claim(K8S, "kubernetes.io/serviceaccount/name"));
        assertNull(BindingRules.claim(K8S, "kubernetes.io/pod/name"));
        assertNull(BindingRules.claim(K8S, "kubernetes.io/namespace/deeper"));
    }

    @Test
    void aTopLevelClaimOfTheExactNameWinsOverAPath() {
        Map<String, Object> claims = Map.of("https://example.com/team", "blue", "https:", Map.of("x", "y"));
        assertEquals("blue", BindingRules.claim(claims, "https://example.com/team"));
    }

    @Test
    void rulesMeetAudienceSubjectAndClaims() {
        WorkloadIdentityRecord row = binding("crate", "system:serviceaccount:payments:*");
        assertNull(BindingRules.firstMiss(row, K8S, Map.of("kubernetes.io/namespace", "pay*", "groups", "ops")));
        assertNull(BindingRules.firstMiss(row, K8S, Map.of("run_number", "42")));
        assertEquals("aud", BindingRules.firstMiss(binding("vault", "*"), K8S, Map.of()));
        assertEquals("sub", BindingRules.firstMiss(binding("crate", "system:serviceaccount:billing:*"), K8S, Map.of()));
        assertEquals(
                "kubernetes.io/serviceaccount",
                BindingRules.firstMiss(row, K8S, Map.of("kubernetes.io/serviceaccount", "*")));
        assertEquals("missing", BindingRules.firstMiss(row, K8S, Map.of("missing", "*")));
    }
}
