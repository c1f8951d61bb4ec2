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
        // A second organization where alice is a viewer (bound at her first call, by verified email).
        var created = harness.server.post("/organizations", Map.of("name", "second-" + System.nanoTime()));
        assertEquals(201, created.statusCode(), created.body());
        var second = JSON.readTree(created.body());
        String secondOrg = second.get("id").asText();
        var added = harness.server.send(
                second.get("admin_api_key").get("key").asText(),
                "POST",
                "/organization/" + secondOrg + "/members",
                Map.of("email", "alice@example.com", "role", "viewer"));
        assertEquals(201, added.statusCode(), added.body());

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
        // "By" names the user by email, the raw actor id only as the tooltip.
        row.locator(".by:text-is('alice@example.com')").waitFor();
        assertTrue(row.locator(".by").getAttribute("title").startsWith("user:"));

        // The organization picker: in the second organization alice is a viewer, without admin pages.
        String defaultOrg = harness.defaultOrg();
        page.locator("#org-picker").selectOption(secondOrg);
        page.locator("#secrets-list td.empty").waitFor();
        assertEquals(0, page.locator("tr[data-secret='OIDC_DEMO']").count());
        assertEquals(0, page.locator("header nav a[href='#/members']").count(), "no admin pages for a viewer");
        page.locator("#org-picker").selectOption(defaultOrg);
        page.locator("tr[data-secret='OIDC_DEMO']").waitFor();
        page.locator("header nav a[href='#/members']").waitFor();

        Object storage = page.evaluate(
                "() => JSON.stringify({l: Object.assign({}, localStorage), s: Object.assign({}, sessionStorage), c: document.cookie})");
        assertEquals("{\"l\":{},\"s\":{},\"c\":\"\"}", storage.toString(), "nothing left in storage");
        for (var cookie : context.cookies(harness.url("/ui/"))) {
            assertFalse(cookie.value.contains(tokens.get(0)));
        }
        assertFalse(harness.serverLog().contains(tokens.get(0)), "the access token is not logged");
    }
}
