package dev.crate.server.console;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.crate.server.testing.ConsoleHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Screenshots of the console's main pages for docs/CONSOLE.md. Runs only when
 * docs/console-screenshots.sh asks for it ({@code -Dcrate.screenshots.dir=...}); the admin pages add
 * theirs here.
 */
class ConsoleScreenshotsIT {

    @Test
    void screenshots() throws Exception {
        String dir = System.getProperty("crate.screenshots.dir", "");
        Assumptions.assumeFalse(dir.isBlank(), "screenshots only on request (docs/console-screenshots.sh)");
        Path out = Path.of(dir);
        Files.createDirectories(out);
        try (ConsoleHarness harness = ConsoleHarness.start(Map.of())) {
            BrowserContext context = harness.newContext();
            Page login = context.newPage();
            login.navigate(harness.url("/ui/"));
            login.locator("#api-key").waitFor();
            shot(login, out.resolve("login.png"));

            Page page = harness.loginWithKey(context);
            ConsoleHarness.createSecret(page, "DATABASE_URL", "postgres://app:example@db/app", "backend, db");
            ConsoleHarness.createSecret(page, "STRIPE_API_KEY", "sk_test_example_0000", "backend, payments");
            ConsoleHarness.createSecret(page, "SENTRY_DSN", "https://example@sentry.example/1", "observability");
            page.locator("tr[data-secret='STRIPE_API_KEY'] [data-action=edit]").click();
            page.locator("#secret-value").fill("sk_test_example_0001");
            page.locator("#secret-save").click();
            page.locator("tr[data-secret='STRIPE_API_KEY'] td:nth-child(2):text-is('2')")
                    .waitFor();
            page.locator("tr[data-secret='DATABASE_URL'] [data-action=reveal]").click();
            page.locator("tr[data-secret='DATABASE_URL'] code.value").waitFor();
            page.locator("tr[data-secret='SENTRY_DSN'] .by:not(:text-is('…'))").waitFor();
            shot(page, out.resolve("secrets.png"));

            page.navigate(harness.url("/ui/#/secret?name=STRIPE_API_KEY"));
            page.locator("#current-version").waitFor();
            shot(page, out.resolve("secret.png"));

            BrowserContext phone = harness.newContext(390, 844);
            Page small = harness.loginWithKey(phone);
            small.locator("tr[data-secret='SENTRY_DSN'] .by:not(:text-is('…'))").waitFor();
            shot(small, out.resolve("secrets-phone.png"));
        }
    }

    static void shot(Page page, Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
