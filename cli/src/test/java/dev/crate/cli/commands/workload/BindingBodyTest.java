package dev.crate.cli.commands.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindingBodyTest {
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void createCarriesEveryFieldGivenInTheServersNames() throws Exception {
        BindingBody body = new BindingBody(
                "gha api",
                "https://token.actions.githubusercontent.com",
                "crate",
                "repo:acme/api:ref:refs/heads/*",
                List.of("repository=acme/api", "ref=refs/heads/main", "kubernetes.io/namespace=pay,ments"),
                "member",
                "dev:read,staging:read+write",
                "dev,staging",
                "backend, db",
                true,
                "1h30m");
        assertEquals(json("""
                        {"name":"gha api","issuer":"https://token.actions.githubusercontent.com","audience":"crate",
                         "subject":"repo:acme/api:ref:refs/heads/*",
                         "claims":{"repository":"acme/api","ref":"refs/heads/main","kubernetes.io/namespace":"pay,ments"},
                         "role":"member","grants":{"dev":["read"],"staging":["read","write"]},
                         "environments":["dev","staging"],"tags":["backend","db"],"read_only":true,
                         "token_ttl_seconds":5400}"""), body.toJson());
    }

    @Test
    void anUpdateSendsOnlyWhatWasGiven() throws Exception {
        BindingBody body = new BindingBody(null, null, null, null, null, null, null, null, null, false, "900");
        assertEquals(json("{\"read_only\":false,\"token_ttl_seconds\":900}"), body.toJson());
        assertTrue(new BindingBody(null, null, null, null, List.of(), null, null, null, null, null, null)
                .toJson()
                .isEmpty());
    }

    @Test
    void claimRulesSplitAtTheFirstEqualsSign() {
        assertEquals(
                "environment=prod=eu",
                BindingBody.claims(List.of("environment=prod=eu"))
                        .entrySet()
                        .iterator()
                        .next()
                        .toString());
    }

    @Test
    void malformedOrRepeatedClaimRulesAreUsageErrors() {
        for (String bad : new String[] {"repository", "=acme/api", "repository="}) {
            CliException e = assertThrows(CliException.class, () -> BindingBody.claims(List.of(bad)));
            assertEquals(CliException.USAGE, e.exitCode(), bad);
            assertTrue(e.getMessage().contains("NAME=VALUE"), e.getMessage());
        }
        CliException twice = assertThrows(CliException.class, () -> BindingBody.claims(List.of("ref=a", "ref=b")));
        assertEquals(CliException.USAGE, twice.exitCode());
        assertTrue(twice.getMessage().contains("'ref' is given twice"), twice.getMessage());
    }

    @Test
    void ttlTakesSecondsOrADurationUpToTwelveHours() {
        assertEquals(900, BindingBody.ttlSeconds("900"));
        assertEquals(900, BindingBody.ttlSeconds("900s"));
        assertEquals(900, BindingBody.ttlSeconds("15m"));
        assertEquals(5400, BindingBody.ttlSeconds("1h30m"));
        assertEquals(43_200, BindingBody.ttlSeconds("12h"));
        assertEquals(60, BindingBody.ttlSeconds("1m"));
        for (String bad :
                new String[] {"0", "59", "59s", "12h1s", "43201", "1d", "15 m", "m", "", "-5", "99999999999999"}) {
            CliException e = assertThrows(CliException.class, () -> BindingBody.ttlSeconds(bad), bad);
            assertEquals(CliException.USAGE, e.exitCode(), bad);
        }
    }

    @Test
    void badGrantsAreRefusedBeforeAnythingIsSent() {
        BindingBody body = new BindingBody("n", "i", "a", null, null, "member", "dev:admin", null, null, null, null);
        assertEquals(
                CliException.USAGE,
                assertThrows(CliException.class, body::toJson).exitCode());
    }
}
