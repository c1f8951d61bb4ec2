package dev.crate.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.Cookie;
import dev.crate.server.testing.ConsoleHarness;
import dev.crate.server.testing.ItDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's admin pages (docs/CONSOLE.md, "Admin pages") in a real Chromium against the packaged
 * server on a database this test can reach: an API key shown once that then works, members, tags,
 * environments, "rotate now", and the audit trail with its reads, export and a chain verification
 * that reports a record tampered in PostgreSQL.
 */
class ConsoleAdminIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern API_KEY = Pattern.compile("crate_[0-9A-Za-z]{49}");

    private static ConsoleHarness harness;
    private static ItDatabase database;
    private static String org;

    @BeforeAll
    static void start() throws Exception {
        ConsoleHarness.assumeChromium();
        database = ItDatabase.create("crate_console_it");
        byte[] rootKey = new byte[32];
        new SecureRandom().nextBytes(rootKey);
        Map<String, String> settings = new HashMap<>(database.serverSettings());
        settings.put("CRATE_ROOT_KEY", Base64.getEncoder().encodeToString(rootKey));
        harness = ConsoleHarness.start(settings);
        org = harness.defaultOrg();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (harness != null) {
                assertEquals(List.of(), harness.cspViolations, "Content-Security-Policy violations");
                harness.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void anApiKeyIsShownOnceCopiedAndWorks() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = open(context, "#/api-keys");
        List<String> urls = new CopyOnWriteArrayList<>();
        page.onRequest(request -> urls.add(request.url()));
        String name = "ci deploy " + suffix();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
        page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("member");
        page.getByLabel("dev read").check();
        page.locator("button:has-text('Create API key')").click();

        Locator dialog = page.locator("dialog.adm-dialog");
        Locator shown = dialog.locator("[data-testid=new-api-key]");
        shown.waitFor();
        String key = shown.inputValue();
        assertTrue(API_KEY.matcher(key).matches(), "a key in the API's format: " + key.length());
        dialog.locator("button:has-text('Copy to clipboard')").click();
        dialog.locator("[role=status]:has-text('Copied to clipboard.')").waitFor();
        assertEquals(key, page.evaluate("() => navigator.clipboard.readText()"));
        dialog.locator("button:has-text('I have stored it')").click();
        dialog.waitFor(
                new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));

        // Shown once: gone from the page, never in the URL or browser storage.
        page.locator("tr:has-text('" + name + "')").waitFor();
        assertFalse(page.content().contains(key), "the key is no longer in the page");
        assertNothingStored(context, page, key);
        for (String url : urls) {
            assertFalse(url.contains(key), url);
        }

        // The key works against the API, with the role and grant chosen in the form.
        HttpResponse<String> me = HTTP.send(
                HttpRequest.newBuilder(URI.create(harness.url("/me")))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        JsonNode who = JSON.readTree(me.body());
        assertEquals(name, who.get("name").asText());
        assertEquals("member", who.get("organizations").get(0).get("role").asText());
        JsonNode listed = find(harness.server.getJson(orgPath("/api-keys")).get("api_keys"), "name", name);
        assertEquals("[\"read\"]", listed.get("grants").get("dev").toString());

        // Revoke, with a confirmation: the key stops working.
        page.locator("button[aria-label='Revoke " + name + "']").click();
        page.locator("dialog.confirm [data-action=confirm]").click();
        page.locator("tr:has-text('" + name + "')")
                .waitFor(new Locator.WaitForOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        HttpResponse<String> revoked = HTTP.send(
                HttpRequest.newBuilder(URI.create(harness.url("/me")))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, revoked.statusCode());
    }

    @Test
    void membersAreAddedChangedAndRemoved() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = open(context, "#/members");
        String email = "carol-" + suffix() + "@example.com";
        page.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).fill(email);
        page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("member");
        page.getByLabel("staging read").first().check();
        page.locator("button:has-text('Add member')").click();
        Locator row = page.locator("tr:has-text('" + email + "')");
        row.waitFor();
        assertTrue(row.innerText().contains("staging: read"), row.innerText());
        JsonNode member = find(harness.server.getJson(orgPath("/members")).get("members"), "email", email);
        assertEquals("member", member.get("role").asText());
        assertEquals("{\"staging\":[\"read\"]}", member.get("grants").toString());

        // The same address again: the problem in words, with its request id.
        page.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).fill(email);
        page.locator("button:has-text('Add member')").click();
        Locator problem = page.locator(".adm-problem [role=alert][data-code=member_exists]");
        problem.waitFor();
        assertTrue(problem.innerText().contains("Request id"), problem.innerText());
        assertTrue(Pattern.compile("[0-9a-f-]{36}").matcher(problem.innerText()).find(), problem.innerText());

        // Change the role: a viewer has no grants.
        page.locator("button[aria-label='Edit " + email + "']").click();
        row.locator("select").selectOption("viewer");
        row.locator("button:has-text('Save')").click();
        // The edit form's role select also holds the text "viewer": wait for the grants cell.
        row.locator("td[data-label=Grants]:has-text('metadata only (viewer)')").waitFor();
        member = find(harness.server.getJson(orgPath("/members")).get("members"), "email", email);
        assertEquals("viewer", member.get("role").asText());
        assertEquals("{}", member.get("grants").toString());

        // Remove: cancelling keeps the member, confirming removes it.
        page.locator("button[aria-label='Remove " + email + "']").click();
        page.locator("dialog.confirm [data-action=cancel]").click();
        assertEquals(1, count(harness.server.getJson(orgPath("/members")).get("members"), "email", email));
        page.locator("button[aria-label='Remove " + email + "']").click();
        page.locator("dialog.confirm [data-action=confirm]").click();
        row.waitFor(
                new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertEquals(0, count(harness.server.getJson(orgPath("/members")).get("members"), "email", email));
    }

    @Test
    void tagsAndEnvironments() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = open(context, "#/tags");
        String tag = "team-" + suffix().toLowerCase();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(tag);
        page.getByLabel("Description (optional)").first().fill("Owned by the team");
        page.locator("button:has-text('Create tag')").click();
        page.locator("td:has-text('Owned by the team')").waitFor();
        page.locator("button[aria-label='Edit tag " + tag + "']").click();
        page.locator("tr:has-text('" + tag + "') form input[name=description]").fill("Changed");
        page.locator("tr:has-text('" + tag + "') button:has-text('Save')").click();
        page.locator("tr:has-text('" + tag + "') td:has-text('Changed')").waitFor();
        JsonNode stored = find(harness.server.getJson(orgPath("/tags")).get("tags"), "name", tag);
        assertEquals("Changed", stored.get("metadata").get("description").asText());
        page.locator("button[aria-label='Delete tag " + tag + "']").click();
        page.locator("dialog.confirm [data-action=confirm]").click();
        page.locator("tr:has-text('" + tag + "')")
                .waitFor(new Locator.WaitForOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertEquals(0, count(harness.server.getJson(orgPath("/tags")).get("tags"), "name", tag));

        page.evaluate("h => { location.hash = h; }", "#/environments");
        String env = "qa-" + suffix().toLowerCase();
        page.locator("button:has-text('Create environment')").waitFor();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(env);
        page.locator("button:has-text('Create environment')").click();
        page.locator("td:has-text('" + env + "')").waitFor();
        assertEquals(1, count(harness.server.getJson(orgPath("/environments")).get("environments"), "name", env));
        // The header's picker offers the new environment without logging in again.
        page.locator("#env-picker option[value='" + env + "']")
                .waitFor(new Locator.WaitForOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("dev");
        page.locator("button:has-text('Create environment')").click();
        Locator problem = page.locator(".adm-problem [role=alert][data-code=environment_exists]");
        problem.waitFor();
        assertTrue(problem.innerText().contains("Request id"), problem.innerText());
    }

    @Test
    void rotateNow() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = open(context, "#/keys");
        page.locator("caption:has-text('Transport keys')").waitFor();
        String before = harness.server
                .getJson(orgPath("/secrets/public-key"))
                .get("kid")
                .asText();

        page.locator("button:has-text('Rotate transport key now')").click();
        page.locator("dialog.confirm [data-action=confirm]").click();
        page.locator(".adm-note:has-text('Rotation of the transport key started')")
                .waitFor();
        String after = harness.server
                .getJson(orgPath("/secrets/public-key"))
                .get("kid")
                .asText();
        assertFalse(before.equals(after), "a new transport key is published");
        page.locator("td[data-label='Key id']:has-text('" + after + "')").waitFor();

        int versionsBefore =
                harness.server.getJson(orgPath("/keys")).get("org_keys").size();
        page.locator("button:has-text('Rotate org key now')").click();
        page.locator("dialog.confirm [data-action=confirm]").click();
        page.locator(".adm-note:has-text('Rotation of the org key started')").waitFor();
        JsonNode keys = harness.server.getJson(orgPath("/keys"));
        assertEquals(versionsBefore + 1, keys.get("org_keys").size(), keys.toString());
        JsonNode last = keys.get("rotations").get(0);
        assertEquals("org", last.get("tier").asText());
        assertEquals("api", last.get("trigger").asText());
        page.locator("td:has-text('v"
                        + keys.get("org_keys").get(0).get("version").asInt() + "')")
                .first()
                .waitFor();
    }

    @Test
    void theAuditTrailShowsTheSessionsReadsExportsAndCatchesTampering() throws Exception {
        BrowserContext context = harness.newContext();
        Page page = login(harness, context);
        String name = "AUDITED_" + suffix();
        ConsoleHarness.createSecret(page, name, "audited-value", "audit");
        Locator secretRow = page.locator("tr[data-secret='" + name + "']");
        secretRow.locator("[data-action=reveal]").click();
        assertEquals("audited-value", secretRow.locator("code.value").innerText());

        page.evaluate("h => { location.hash = h; }", "#/audit");
        page.getByLabel("Action").fill("secret.read");
        page.locator("button:has-text('Apply filters')").click();
        Locator read = page.locator(".adm-table tr:has-text('" + name + "'):has-text('secret.read')");
        read.first().waitFor();
        assertTrue(read.first().innerText().contains("success"), read.first().innerText());

        // Export: a download from a Blob URL, fetched with the Bearer header, no token in any URL.
        List<Request> exports = new ArrayList<>();
        page.onRequest(request -> {
            if (request.url().contains("/audit/export")) {
                exports.add(request);
            }
        });
        Download download = page.waitForDownload(
                () -> page.locator("button:has-text('Export')").click());
        assertTrue(download.url().startsWith("blob:"), download.url());
        String jsonl = Files.readString(download.path());
        assertTrue(jsonl.contains("\"" + name + "\""), "the export holds the read");
        for (String line : jsonl.strip().split("\n")) {
            assertEquals("secret.read", JSON.readTree(line).get("action").asText(), line);
        }
        assertEquals(1, exports.size());
        assertTrue(exports.get(0).allHeaders().getOrDefault("authorization", "").startsWith("Bearer "));
        assertFalse(exports.get(0).url().contains(harness.token));

        // An intact chain, then a record edited in PostgreSQL: the break is shown plainly.
        page.locator("button:has-text('Verify chain')").click();
        Locator verdict = page.locator("[data-testid=verify-result] [data-state]");
        verdict.waitFor();
        assertEquals("intact", verdict.getAttribute("data-state"), verdict.innerText());
        assertTrue(verdict.innerText().contains("Chain intact"), verdict.innerText());

        long seq = database.count("select seq from audit_events where action = 'secret.read' and name = '" + name
                + "' order by seq limit 1");
        database.exec("update audit_events set actor_name = 'mallory' where seq = " + seq);
        page.locator("button:has-text('Verify chain')").click();
        Locator broken = page.locator("[data-testid=verify-result] [data-state=broken]");
        broken.waitFor();
        String text = broken.innerText();
        assertEquals("alert", broken.getAttribute("role"));
        assertTrue(text.contains("Chain BROKEN at record seq " + seq), text);
        assertTrue(text.contains("a record was edited after it was written"), text);
        assertTrue(text.contains("hash_mismatch"), text);
        JsonNode verify = harness.server.getJson(orgPath("/audit/verify"));
        assertFalse(verify.get("intact").asBoolean());
        assertEquals(seq, verify.get("first_broken").get("seq").asLong());
    }

    @Test
    void adminPagesFitAPhoneAndTheDesktop() throws Exception {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            BrowserContext context = harness.newContext(size[0], size[1]);
            Page page = login(harness, context);
            for (String hash : List.of("#/members", "#/api-keys", "#/tags", "#/environments", "#/keys", "#/audit")) {
                page.evaluate("h => { location.hash = h; }", hash);
                page.locator("main h1").waitFor();
                page.locator("main table").first().waitFor();
                Object overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
                assertTrue(
                        ((Number) overflow).intValue() <= 1, hash + " at " + size[0] + "px overflows by " + overflow);
                // Every control has a name, and all text reads well (WCAG AA contrast).
                assertEquals(List.of(), ConsoleHarness.unlabelledControls(page), hash);
                assertEquals(List.of(), ConsoleHarness.lowContrastText(page), hash + " at " + size[0] + "px");
            }
            context.close();
        }
    }

    /** Logs in with the bootstrap key (the harness's login) and waits for the secrets list. */
    static Page login(ConsoleHarness harness, BrowserContext context) {
        return harness.loginWithKey(context);
    }

    /** Logs in with the bootstrap key and opens an admin page. */
    private static Page open(BrowserContext context, String hash) {
        Page page = login(harness, context);
        page.evaluate("h => { location.hash = h; }", hash);
        page.locator("main h1").waitFor();
        page.locator("main table").first().waitFor();
        return page;
    }

    private static void assertNothingStored(BrowserContext context, Page page, String secret) {
        Object local = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))");
        Object session = page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))");
        assertFalse(String.valueOf(local).contains(secret), "localStorage");
        assertFalse(String.valueOf(session).contains(secret), "sessionStorage");
        for (Cookie cookie : context.cookies()) {
            assertFalse(cookie.value.contains(secret), "cookie " + cookie.name);
        }
        assertFalse(page.url().contains(secret), page.url());
    }

    private static String orgPath(String rest) {
        return "/organization/" + org + rest;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asText())) {
                return node;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    private static int count(JsonNode array, String field, String value) {
        int n = 0;
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asText())) {
                n++;
            }
        }
        return n;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }
}
