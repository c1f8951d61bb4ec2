package dev.crate.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.crate.server.testing.ConsoleHarness;
import dev.crate.server.testing.KeycloakResource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login through a real Keycloak with the authorization code flow and PKCE (docs/CONSOLE.md, section 4):
 * the console sends the browser to the provider, takes the code back, removes it from the address
 * bar, keeps the access token in memory and uses it against the API.
 */
class ConsoleKeycloakIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeycloakResource keycloak;
    private static ConsoleHarness harness;

    @BeforeAll
    static void start() throws Exception {
        ConsoleHarness.assumeChromium();
        keycloak = new KeycloakResource();
        keycloak.start();
        harness = ConsoleHarness.start(
                Map.of("CRATE_OIDC_ISSUER", KeycloakResource.issuer(), "CRATE_BOOTSTRAP_ADMINS", "alice@example.com"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            if (keycloak != null) {
                keycloak.stop();
            }
        }
    }

    @Test
    void logsInWithTheAuthorizationCodeFlow() throws Exception {
        BrowserContext context = harness.newContext();
        // A Keycloak that has just started renders its first login page slowly.
        context.setDefaultTimeout(120_000);
        context.setDefaultNavigationTimeout(120_000);
        List<String> tokens = new CopyOnWriteArrayList<>();
        List<Response> tokenResponses = new CopyOnWriteArrayList<>();
        context.onResponse(response -> {
            if (response.url().endsWith("/protocol/openid-connect/token")) {
                tokenResponses.add(response);
            }
        });
        Page page = context.newPage();
        page.navigate(harness.url("/ui/"));
        page.locator("#sso-login").click();
        page.waitForURL("**/realms/crate/protocol/openid-connect/auth**");
        assertTrue(page.url().contains("code_challenge_method=S256"), page.url());
        assertTrue(page.url().contains("client_id=crate-console"), page.url());
        page.locator("#username").fill("alice");
        page.locator("#password").fill("alice-password");
        page.locator("#kc-login").click();
        page.waitForURL("**/ui/#/secrets");
        page.locator("#secrets-list table").waitFor();
        assertFalse(page.url().contains("code="), page.url());
        assertFalse(page.url().contains("state="), page.url());
        assertEquals("Alice Anders", page.locator("header .me").innerText());

        for (Response response : tokenResponses) {
            tokens.add(JSON.readTree(response.text()).get("access_token").asText());
        }
        assertEquals(1, tokens.size(), "one code exchanged for one token");

        // The token works against the API: a secret created and revealed as alice.
        ConsoleHarness.createSecret(page, "OIDC_DEMO", "from-alice", "sso");
        var row = page.locator("tr[data-secret='OIDC_DEMO']");
        row.locator("[data-action=reveal]").click();
        assertEquals("from-alice", row.locator("code.value").innerText());
        row.locator(".by:not(:text-is('…'))").waitFor();
        assertTrue(
                row.locator(".by").innerText().startsWith("user:"),
                row.locator(".by").innerText());

        Object storage = page.evaluate(
                "() => JSON.stringify({l: Object.assign({}, localStorage), s: Object.assign({}, sessionStorage), c: document.cookie})");
        assertEquals("{\"l\":{},\"s\":{},\"c\":\"\"}", storage.toString(), "nothing left in storage");
        for (var cookie : context.cookies(harness.url("/ui/"))) {
            assertFalse(cookie.value.contains(tokens.get(0)));
        }
        assertFalse(harness.serverLog().contains(tokens.get(0)), "the access token is not logged");
    }
}
