package dev.crate.server.console;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.crate.server.testing.ConsoleHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Screenshots of the admin pages for docs/CONSOLE.md, section 7. Runs only when
 * docs/console-screenshots.sh asks for it (system property crate.screenshots.dir).
 */
class ConsoleAdminScreenshotsIT {

    @Test
    void adminPages() throws Exception {
        String dir = System.getProperty("crate.screenshots.dir", "");
        Assumptions.assumeFalse(dir.isBlank(), "only docs/console-screenshots.sh takes screenshots");
        Path out = Files.createDirectories(Path.of(dir));
        try (ConsoleHarness harness = ConsoleHarness.start(Map.of())) {
            String org = harness.defaultOrg();
            String base = "/organization/" + org;
            harness.server.post(
                    base + "/members",
                    Map.of(
                            "email",
                            "bob@example.com",
                            "role",
                            "member",
                            "grants",
                            Map.of("dev", List.of("read", "write"), "staging", List.of("read"))));
            harness.server.post(base + "/members", Map.of("email", "dana@example.com", "role", "admin"));
            harness.server.post(base + "/members", Map.of("email", "vic@example.com", "role", "viewer"));
            harness.server.post(
                    base + "/api-keys",
                    Map.of(
                            "name",
                            "ci backend",
                            "role",
                            "member",
                            "grants",
                            Map.of("staging", List.of("read")),
                            "environments",
                            List.of("staging"),
                            "tags",
                            List.of("backend"),
                            "read_only",
                            true));
            harness.server.post(base + "/api-keys", Map.of("name", "log shipper", "role", "admin", "read_only", true));
            harness.server.post(base + "/environments", Map.of("name", "qa"));

            // Some secrets and a rotation for the audit and keys pages (sealed by the test's client).
            harness.server.store(org, "DATABASE_URL", "postgres://app:example@db/app");
            harness.server.store(org, "STRIPE_API_KEY", "sk_test_screenshot");
            harness.server.post(base + "/keys/rotate", Map.of("tier", "transport"));

            BrowserContext context = harness.newContext();
            Page page = ConsoleAdminIT.login(harness, context);

            show(page, "#/tags");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("payments-eu");
            page.getByLabel("Description (optional)").first().fill("Card payments, EU entity");
            page.locator("button:has-text('Create tag')").click();
            page.locator("td:has-text('Card payments, EU entity')").waitFor();
            shoot(page, out, "admin-tags");

            show(page, "#/members");
            shoot(page, out, "admin-members");

            show(page, "#/api-keys");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("deploy bot");
            page.locator("button:has-text('Create API key')").click();
            Locator dialog = page.locator("dialog.adm-dialog");
            dialog.waitFor();
            dialog.locator("button:has-text('Copy to clipboard')").click();
            dialog.locator("[role=status]:has-text('Copied')").waitFor();
            // A working key must not end up in a picture in the repository: blank it first.
            dialog.locator("[data-testid=new-api-key]").evaluate("e => { e.value = 'crate_' + 'x'.repeat(49); }");
            shoot(page, out, "admin-api-key-once");
            dialog.locator("button:has-text('I have stored it')").click();
            page.locator("tr:has-text('deploy bot')").waitFor();
            shoot(page, out, "admin-api-keys");

            show(page, "#/environments");
            shoot(page, out, "admin-environments");

            show(page, "#/keys");
            shoot(page, out, "admin-keys");

            show(page, "#/audit");
            page.locator("button:has-text('Verify chain')").click();
            page.locator("[data-testid=verify-result] [data-state]").waitFor();
            shoot(page, out, "admin-audit");

            BrowserContext phone = harness.newContext(390, 844);
            Page small = ConsoleAdminIT.login(harness, phone);
            show(small, "#/audit");
            shoot(small, out, "admin-audit-phone");
        }
    }

    private static void show(Page page, String hash) {
        page.evaluate("h => { location.hash = h; }", hash);
        page.locator("main h1").waitFor();
        page.locator("main table").first().waitFor();
    }

    private static void shoot(Page page, Path out, String name) {
        page.waitForTimeout(300);
        page.screenshot(
                new Page.ScreenshotOptions().setPath(out.resolve(name + ".png")).setFullPage(!name.contains("once")));
    }
}
