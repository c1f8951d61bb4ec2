package dev.crate.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.crate.server.testing.ConsoleHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real Chromium against the packaged server (docs/CONSOLE.md): headers, the
 * secrets life cycle, a canary that must never leave the browser in clear, a tampered answer and a
 * revoked session.
 */
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConsoleHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = ConsoleHarness.start(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void servesTheConsoleWithAStrictPolicy() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> redirect = http.send(
                HttpRequest.newBuilder(URI.create(harness.url("/ui"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, redirect.statusCode());
        assertEquals("/ui/", redirect.headers().firstValue("Location").orElse(""));

        for (String path : List.of("/ui/", "/ui/app.js", "/ui/style.css", "/ui/pages/routes.js")) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(harness.url(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path);
            String csp =
                    response.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'"), path + ": " + csp);
            assertTrue(csp.contains("script-src 'self';"), path + ": " + csp);
            assertTrue(csp.contains("style-src 'self';"), path + ": " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertFalse(csp.contains("unsafe"), path + ": " + csp);
            assertEquals(
                    "DENY", response.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertEquals(
                    "no-referrer",
                    response.headers().firstValue("Referrer-Policy").orElse(""),
                    path);
            assertEquals(
                    "nosniff",
                    response.headers().firstValue("X-Content-Type-Options").orElse(""),
                    path);
            assertEquals(
                    "no-cache", response.headers().firstValue("Cache-Control").orElse(""), path);
        }
        HttpResponse<String> index = http.send(
                HttpRequest.newBuilder(URI.create(harness.url("/ui/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\"></script>"), index.body());
        assertFalse(index.body().contains("style="), "no inline style in index.html");
        assertTrue(http.send(
                        HttpRequest.newBuilder(URI.create(harness.url("/ui/app.js")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .contains("javascript"));
        // The API keeps its own headers: no console policy on /organizations.
        HttpResponse<String> api = http.send(
                HttpRequest.newBuilder(URI.create(harness.url("/auth/config"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(api.headers().firstValue("Content-Security-Policy").isEmpty());
    }

    @Test
    void createRevealEditRollBackDeleteRestore() {
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context);
        String name = "LIFECYCLE_" + suffix();
        ConsoleHarness.createSecret(page, name, "first-value", "backend, demo");
        Locator row = page.locator("tr[data-secret='" + name + "']");
        assertTrue(row.innerText().contains("backend"));
        // "By" names the author as a person reads it, the raw actor id only as the tooltip.
        row.locator(".by:text-is('bootstrap admin (API key)')").waitFor();
        assertTrue(row.locator(".by").getAttribute("title").startsWith("api-key:"));

        row.locator("[data-action=reveal]").click();
        assertEquals("first-value", row.locator("code.value").innerText());

        row.locator("[data-action=edit]").click();
        page.locator("#secret-value").fill("second-value");
        page.locator("#secret-save").click();
        page.locator("tr[data-secret='" + name + "'] td:nth-child(2):text-is('2')")
                .waitFor();
        row.locator("[data-action=reveal]").click();
        assertEquals("second-value", row.locator("code.value").innerText());

        row.locator("a.secret-name").click();
        page.waitForURL("**#/secret?name=" + name);
        page.locator("tr[data-version='1'] [data-action=rollback]").click();
        page.locator("dialog [data-action=confirm]").click();
        page.locator("#current-version:text-is('3')").waitFor();
        assertEquals(
                "bootstrap admin (API key)",
                page.locator("tr[data-version='1'] .by").innerText());
        page.locator("tr[data-version='3'] [data-action=reveal]").click();
        assertEquals(
                "first-value", page.locator("tr[data-version='3'] code.value").innerText());

        page.locator("#delete-secret").click();
        page.locator("dialog [data-action=confirm]").click();
        page.locator("#secret-status:text-is('deleted')").waitFor();
        page.locator("#restore-secret").click();
        page.locator("#secret-status:text-is('live')").waitFor();

        // Navigation hides the values and drops them from the page.
        page.locator("tr[data-version='3'] [data-action=reveal]").click();
        page.locator("tr[data-version='3'] code.value").waitFor();
        page.navigate(harness.url("/ui/#/secrets"));
        page.locator("tr[data-secret='" + name + "']").waitFor();
        assertFalse(page.content().contains("first-value"));

        // Purge, after a confirmation: every version destroyed.
        page.locator("tr[data-secret='" + name + "'] a.secret-name").click();
        page.locator("#purge-secret").click();
        page.locator("dialog [data-action=cancel]").click();
        page.locator("#secret-status:text-is('live')").waitFor();
        page.locator("#purge-secret").click();
        page.locator("dialog [data-action=confirm]").click();
        page.locator("#secret-status:text-is('purged')").waitFor();
        assertEquals(3, page.locator("tbody tr:has-text('destroyed')").count());
        assertEquals(0, page.locator("[data-action=reveal]").count());
        assertTrue(harness.cspViolations.isEmpty(), harness.cspViolations.toString());
    }

    @Test
    void filtersAndSorts() {
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context);
        String tag = "t" + suffix().toLowerCase(java.util.Locale.ROOT);
        String a = "SORT_A_" + suffix();
        String b = "SORT_B_" + suffix();
        ConsoleHarness.createSecret(page, b, "b", tag);
        ConsoleHarness.createSecret(page, a, "a", tag + ", other");
        page.locator("#filter-tag").selectOption(tag);
        assertEquals(2, page.locator("#secrets-list tbody tr").count());
        assertEquals(a, page.locator("#secrets-list tbody tr").nth(0).getAttribute("data-secret"));
        page.locator("th button:has-text('Name')").click();
        assertEquals(b, page.locator("#secrets-list tbody tr").nth(0).getAttribute("data-secret"));
        assertEquals(
                "descending", page.locator("th:has(button:has-text('Name'))").getAttribute("aria-sort"));
        page.locator("#filter-name").fill(a.toLowerCase(java.util.Locale.ROOT));
        assertEquals(1, page.locator("#secrets-list tbody tr").count());
        page.locator("#filter-name").fill("");
        page.locator("#filter-tag").selectOption("other");
        assertEquals(1, page.locator("#secrets-list tbody tr").count());
        assertEquals(a, page.locator("#secrets-list tbody tr").nth(0).getAttribute("data-secret"));
    }

    @Test
    void aCanaryNeverLeavesTheBrowserInClear() throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        String name = "CANARY_" + suffix();
        BrowserContext context = harness.newContext();
        List<Request> requests = new ArrayList<>();
        List<Response> responses = new ArrayList<>();
        context.onRequest(requests::add);
        context.onResponse(responses::add);
        Page page = harness.loginWithKey(context);
        ConsoleHarness.createSecret(page, name, canary, "canary");
        Locator row = page.locator("tr[data-secret='" + name + "']");
        row.locator("[data-action=reveal]").click();
        assertEquals(canary, row.locator("code.value").innerText(), "the value is revealed in the page");
        page.locator("#reveal-all").click();
        row.locator("[data-action=copy]").click();
        page.locator(".toast:has-text('Copied " + name + "')").waitFor();
        assertEquals(canary, page.evaluate("() => navigator.clipboard.readText()"));
        // .env import of a second canary
        String canary2 = "canary2-" + UUID.randomUUID();
        page.locator("#import-env").click();
        page.locator("#dotenv-text").fill("# imported\nexport " + name + "_ENV=\"" + canary2 + "\"\n");
        page.locator("#dotenv-import").click();
        page.locator(".results li.ok").waitFor();
        page.keyboard().press("Escape");
        page.locator("tr[data-secret='" + name + "_ENV']").waitFor();

        int seen = 0;
        for (Request request : requests) {
            assertFalse(request.url().contains(canary) || request.url().contains(canary2), request.url());
            String body = request.postData();
            if (body != null) {
                assertFalse(body.contains(canary) || body.contains(canary2), "request to " + request.url());
            }
            request.allHeaders().values().forEach(v -> assertFalse(v.contains(canary)));
        }
        for (Response response : responses) {
            byte[] body;
            try {
                body = response.body();
            } catch (RuntimeException gone) {
                continue; // redirects and evicted bodies have none to check
            }
            String text = new String(body, StandardCharsets.UTF_8);
            assertFalse(text.contains(canary) || text.contains(canary2), "response of " + response.url());
            seen++;
        }
        assertTrue(seen > 5, "responses checked: " + seen);
        Object storage = page.evaluate(
                "() => JSON.stringify({l: Object.assign({}, localStorage), s: Object.assign({}, sessionStorage), c: document.cookie})");
        assertFalse(storage.toString().contains(canary), storage.toString());
        assertFalse(storage.toString().contains(canary2), storage.toString());
        for (Cookie cookie : context.cookies()) {
            assertFalse(cookie.value.contains(canary));
        }
        assertFalse(page.url().contains(canary));
        String log = harness.serverLog();
        assertFalse(log.contains(canary) || log.contains(canary2), "the server log holds the canary");
    }

    @Test
    void aTamperedAnswerShowsNoValue() {
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context);
        String name = "TAMPER_" + suffix();
        ConsoleHarness.createSecret(page, name, "do-not-show-" + name, "");
        page.route("**/secrets/retrieve", route -> {
            var answer = route.fetch();
            try {
                JsonNode body = JSON.readTree(answer.text());
                String[] parts = body.get("sealed_payload").asText().split("\\.", -1);
                char[] ciphertext = parts[3].toCharArray();
                ciphertext[0] = ciphertext[0] == 'A' ? 'B' : 'A';
                parts[3] = new String(ciphertext);
                String tampered = "{\"sealed_payload\":\"" + String.join(".", parts) + "\"}";
                route.fulfill(new Route.FulfillOptions().setResponse(answer).setBody(tampered));
            } catch (Exception e) {
                route.abort();
            }
        });
        Locator row = page.locator("tr[data-secret='" + name + "']");
        row.locator("[data-action=reveal]").click();
        Locator problem = page.locator(".problem[data-code=sealed_answer_not_opened]");
        problem.waitFor();
        assertTrue(problem.innerText().contains("could not be opened"), problem.innerText());
        assertTrue(problem.innerText().contains("No value is shown"), problem.innerText());
        assertEquals(0, row.locator("code.value").count());
        assertFalse(page.content().contains("do-not-show-" + name));
    }

    @Test
    void aRevokedKeyEndsTheSessionWithAMessage() throws Exception {
        String org = harness.defaultOrg();
        HttpResponse<String> created = harness.server.post(
                "/organization/" + org + "/api-keys", Map.of("name", "console-expiry-" + suffix(), "role", "admin"));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = JSON.readTree(created.body());
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context, key.get("key").asText());
        assertEquals(
                204,
                harness.server
                        .delete("/organization/" + org + "/api-keys/"
                                + key.get("id").asText())
                        .statusCode());
        page.locator("#new-secret").waitFor();
        page.evaluate("() => { location.hash = '#/secret?name=ANY'; }");
        Locator message = page.locator("#login-message");
        message.waitFor();
        assertTrue(message.innerText().contains("expired or was revoked"), message.innerText());
        page.waitForURL("**#/login");
        assertEquals(0, page.locator("#secrets-list").count());
    }

    @Test
    void aLargeValueIsSealedAsAJweAndTagsChangeAlone() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context);
        List<String> stores = new CopyOnWriteArrayList<>();
        List<String> retrieves = new CopyOnWriteArrayList<>();
        page.onRequest(request -> {
            if ("PUT".equals(request.method()) && request.url().endsWith("/secrets")) {
                stores.add(request.postData());
            } else if (request.url().endsWith("/secrets/retrieve")) {
                retrieves.add(request.postData());
            }
        });
        String name = "LARGE_" + suffix();
        String value = "large-" + "x".repeat(2000) + suffix();
        ConsoleHarness.createSecret(page, name, value, "big");

        // Over 318 bytes: a JWE RSA-OAEP-256/A256GCM naming the destination the server checks.
        JsonNode body = JSON.readTree(stores.get(0));
        String[] jwe = body.get("encrypted_value").asText().split("\\.", -1);
        assertEquals(5, jwe.length, "a compact JWE");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwe[0]));
        assertEquals("RSA-OAEP-256", header.get("alg").asText());
        assertEquals("A256GCM", header.get("enc").asText());
        assertEquals(harness.defaultOrg(), header.get("crate_org").asText());
        assertEquals("dev", header.get("crate_env").asText());
        assertEquals(name, header.get("crate_name").asText());
        assertTrue(body.get("sealed").asBoolean());
        Locator row = page.locator("tr[data-secret='" + name + "']");
        row.locator("[data-action=reveal]").click();
        assertEquals(value, row.locator("code.value").innerText());
        // Retrieved sealed to a temporary P-256 key: only its public half travels.
        JsonNode jwk = JSON.readTree(retrieves.get(0)).get("client_public_jwk");
        assertEquals("EC", jwk.get("kty").asText());
        assertEquals("P-256", jwk.get("crv").asText());
        assertFalse(jwk.has("d"), "no private part");

        // Only the tags: the console opens the value, seals it again and stores version 2 with them.
        row.locator("[data-action=edit]").click();
        page.locator("#secret-tags").fill("big, ops");
        page.locator("#secret-save").click();
        page.locator("tr[data-secret='" + name + "'] td:nth-child(2):text-is('2')")
                .waitFor();
        assertTrue(row.locator(".tags").innerText().contains("ops"), row.innerText());
        JsonNode second = JSON.readTree(stores.get(1));
        assertEquals(1, second.get("expected_version").asInt());
        assertEquals("[\"big\",\"ops\"]", second.get("tags").toString());
        row.locator("[data-action=reveal]").click();
        assertEquals(value, row.locator("code.value").innerText());
    }

    @Test
    void revealedValuesHideAfterHalfAMinuteAndWhenTheTabIsHidden() {
        BrowserContext context = harness.newContext();
        context.clock().install();
        Page page = harness.loginWithKey(context);
        String tag = "hide" + suffix().toLowerCase(java.util.Locale.ROOT);
        String a = "HIDE_A_" + suffix();
        String b = "HIDE_B_" + suffix();
        ConsoleHarness.createSecret(page, a, "value-a", tag);
        ConsoleHarness.createSecret(page, b, "value-b", tag);
        page.locator("#filter-tag").selectOption(tag);

        page.locator("#reveal-all").click();
        Locator values = page.locator("#secrets-list code.value");
        page.locator("tr[data-secret='" + b + "'] code.value").waitFor();
        assertEquals(2, values.count(), "every visible row revealed");
        page.clock().fastForward(20_000);
        assertEquals(2, values.count(), "still shown after 20 s");
        page.clock().fastForward(11_000);
        values.first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertEquals(0, values.count());

        page.locator("#reveal-all").click();
        values.first().waitFor();
        page.evaluate(
                "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
                        + " document.dispatchEvent(new Event('visibilitychange')); }");
        values.first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));

        // The same on a secret's own page.
        page.evaluate("() => { delete document.visibilityState; }");
        page.locator("tr[data-secret='" + a + "'] a.secret-name").click();
        page.locator("tr[data-version='1'] [data-action=reveal]").click();
        Locator version = page.locator("tr[data-version='1'] code.value");
        version.waitFor();
        page.clock().fastForward(31_000);
        version.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        page.locator("tr[data-version='1'] [data-action=reveal]").click();
        version.waitFor();
        page.evaluate(
                "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
                        + " document.dispatchEvent(new Event('visibilitychange')); }");
        version.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
    }

    @Test
    void theEnvironmentPickerShowsThatEnvironmentsSecrets() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = harness.loginWithKey(context);
        String inDev = "IN_DEV_" + suffix();
        String inStaging = "IN_STAGING_" + suffix();
        ConsoleHarness.createSecret(page, inDev, "dev-value", "");
        page.locator("#env-picker").selectOption("staging");
        page.locator("h1 .env-name:text-is('staging')").waitFor();
        page.locator("#secrets-list table").waitFor();
        assertEquals(0, page.locator("tr[data-secret='" + inDev + "']").count());
        ConsoleHarness.createSecret(page, inStaging, "staging-value", "");
        Locator row = page.locator("tr[data-secret='" + inStaging + "']");
        row.locator("[data-action=reveal]").click();
        assertEquals("staging-value", row.locator("code.value").innerText());
        JsonNode staging = harness.server.getJson("/organization/" + harness.defaultOrg() + "/secrets?env=staging");
        assertTrue(staging.toString().contains("\"" + inStaging + "\""), staging.toString());

        page.locator("#env-picker").selectOption("dev");
        page.locator("h1 .env-name:text-is('dev')").waitFor();
        page.locator("tr[data-secret='" + inDev + "']").waitFor();
        assertEquals(0, page.locator("tr[data-secret='" + inStaging + "']").count());
    }

    @Test
    void worksWithTheKeyboardAlone() {
        BrowserContext context = harness.newContext();
        Page page = context.newPage();
        page.navigate(harness.url("/ui/"));
        // The login page puts the focus in the key field; Enter sends the form.
        page.locator("#api-key:focus").waitFor();
        page.keyboard().type(harness.token);
        page.keyboard().press("Enter");
        page.locator("#secrets-list table").waitFor();

        String name = "KEYS_" + suffix();
        tabUntil(page, "#filter-name");
        page.keyboard().type(name);
        tabUntil(page, "#new-secret");
        assertEquals(
                "3px",
                page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth"),
                "focus is visible");
        page.keyboard().press("Enter");
        page.locator("dialog #secret-name:focus").waitFor();
        page.keyboard().type(name);
        page.keyboard().press("Tab");
        page.keyboard().type("typed-value");
        tabUntil(page, "#secret-save");
        page.keyboard().press("Enter");
        page.locator("tr[data-secret='" + name + "']").waitFor();

        tabUntil(page, "button[aria-label='Reveal " + name + "']");
        page.keyboard().press("Enter");
        page.locator("tr[data-secret='" + name + "'] code.value:text-is('typed-value')")
                .waitFor();
        page.locator("button[aria-label='Hide " + name + "']:focus").waitFor();

        tabUntil(page, "button[aria-label='Edit " + name + "']");
        page.keyboard().press("Enter");
        page.locator("dialog #secret-value:focus").waitFor();
        page.keyboard().press("Escape");
        page.locator("dialog").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
    }

    @Test
    void secretsPagesFitAPhoneAndTheDesktopWithLabelsAndContrast() {
        String name = "LAYOUT_" + suffix();
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            String at = " at " + size[0] + "px";
            BrowserContext context = harness.newContext(size[0], size[1]);
            Page page = context.newPage();
            page.navigate(harness.url("/ui/"));
            page.locator("#api-key").waitFor();
            checkPage(page, "login" + at);
            page = harness.loginWithKey(context);
            if (size[0] == 1280) {
                ConsoleHarness.createSecret(page, name, "layout-value", "backend, layout");
                // The contrast check itself sees light grey on white.
                page.evaluate("() => { const p = document.createElement('p'); p.id = 'grey'; p.textContent = 'grey';"
                        + " p.style.color = '#aaaaaa'; document.querySelector('main').append(p); }");
                assertEquals(1, ConsoleHarness.lowContrastText(page).size(), "the check finds #aaa on white");
                page.evaluate("() => document.getElementById('grey').remove()");
            }
            Locator row = page.locator("tr[data-secret='" + name + "']");
            row.locator("[data-action=reveal]").click();
            row.locator("code.value").waitFor();
            row.locator(".by:not(:text-is('…'))").waitFor();
            checkPage(page, "secrets" + at);
            page.locator("#new-secret").click();
            page.locator("dialog #secret-name").waitFor();
            checkPage(page, "new secret dialog" + at);
            page.keyboard().press("Escape");
            row.locator("a.secret-name").click();
            page.locator("#secret-status").waitFor();
            page.locator("tr[data-version='1'] .by").waitFor();
            checkPage(page, "secret" + at);
            context.close();
        }
    }

    private static void checkPage(Page page, String what) {
        assertTrue(ConsoleHarness.sidewaysOverflow(page) <= 1, what + " scrolls sideways");
        assertEquals(List.of(), ConsoleHarness.unlabelledControls(page), what + ": controls without a name");
        assertEquals(List.of(), ConsoleHarness.lowContrastText(page), what + ": text below WCAG AA contrast");
    }

    /** Presses Tab until the focused element matches {@code selector}. */
    private static void tabUntil(Page page, String selector) {
        for (int i = 0; i < 80; i++) {
            page.keyboard().press("Tab");
            if (Boolean.TRUE.equals(page.evaluate("s => document.activeElement.matches(s)", selector))) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + selector);
    }

    @Test
    void aBadKeyIsExplainedWithItsRequestId() {
        BrowserContext context = harness.newContext(390, 844);
        Page page = context.newPage();
        page.navigate(harness.url("/ui/"));
        page.locator("#api-key").fill("crate_notAKeyAtAll000000000000000000000000000");
        page.locator("#api-key-form button[type=submit]").click();
        Locator problem = page.locator(".problem[data-code=unauthenticated]");
        problem.waitFor();
        assertTrue(problem.locator(".request-id").innerText().length() > 8);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }
}
