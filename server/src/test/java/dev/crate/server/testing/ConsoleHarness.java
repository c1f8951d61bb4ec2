package dev.crate.server.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The web console's browser-test harness (docs/CONSOLE.md, section 6): the packaged server as a
 * process, Debian's Chromium driven by Playwright (no browser download), and a login with the
 * bootstrap API key. Reused by every console test and by docs/console-screenshots.sh.
 *
 * <pre>
 * try (ConsoleHarness h = ConsoleHarness.start(Map.of())) {
 *     Page page = h.loginWithKey(h.newContext());
 *     page.navigate(h.url("/ui/#/members"));
 * }
 * </pre>
 */
public final class ConsoleHarness implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CRATE_CHROMIUM", "/usr/bin/chromium"));
    /** The flags Debian's Chromium needs to run headless as root in a container. */
    public static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage");

    public final ServerProcess server;
    public final String token;
    private final Playwright playwright;
    public final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();
    /** Messages the browser logged that tell of a Content-Security-Policy violation. */
    public final List<String> cspViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ConsoleHarness(ServerProcess server, String token, Playwright playwright, Browser browser) {
        this.server = server;
        this.token = token;
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * Skips the calling test when Chromium is missing, except under CI (CI=true), where that is a
     * failure: .ci/run installs it.
     */
    public static void assumeChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String message = CHROMIUM + " is missing: install Debian's chromium package (apt-get install chromium) "
                + "to run the web console's browser tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** A random bootstrap API key in the format CRATE_BOOTSTRAP_TOKEN takes. */
    public static String newToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder("crate_console");
        for (int i = 0; i < 40; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Starts the packaged server (embedded defaults plus the given settings) and the browser. */
    public static ConsoleHarness start(Map<String, String> env) throws Exception {
        assumeChromium();
        String token = newToken();
        ServerProcess server = ServerProcess.start(token, env).awaitReady();
        Playwright playwright = null;
        try {
            Map<String, String> driverEnv = new HashMap<>();
            driverEnv.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(driverEnv));
            Browser browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(CHROMIUM)
                            .setHeadless(true)
                            .setArgs(CHROMIUM_ARGS));
            return new ConsoleHarness(server, token, playwright, browser);
        } catch (RuntimeException | Error e) {
            if (playwright != null) {
                playwright.close();
            }
            server.close();
            throw e;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port + path;
    }

    /** A fresh browser profile at 1280x800 that may write to the clipboard. */
    public BrowserContext newContext() {
        return newContext(1280, 800);
    }

    public BrowserContext newContext(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setBaseURL(url("/"))
                .setPermissions(List.of("clipboard-read", "clipboard-write")));
        context.setDefaultTimeout(20_000);
        context.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspViolations.add(message.text());
            }
        });
        contexts.add(context);
        return context;
    }

    /** Opens /ui/ in a new page of the context and logs in with the bootstrap API key. */
    public Page loginWithKey(BrowserContext context) {
        return loginWithKey(context, token);
    }

    public Page loginWithKey(BrowserContext context, String key) {
        Page page = context.newPage();
        page.navigate(url("/ui/"));
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("API key"))
                .fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in with API key"))
                .click();
        page.waitForURL("**/ui/#/secrets");
        page.locator("#secrets-list table").waitFor();
        return page;
    }

    /** Creates a secret through the console's "New secret" dialog (sealed in the browser). */
    public static void createSecret(Page page, String name, String value, String tags) {
        page.locator("#new-secret").click();
        page.locator("#secret-name").fill(name);
        page.locator("#secret-value").fill(value);
        page.locator("#secret-tags").fill(tags);
        page.locator("#secret-save").click();
        page.locator("tr[data-secret='" + name + "']").waitFor();
    }

    /** The bootstrap key's organization id. */
    public String defaultOrg() throws Exception {
        return server.defaultOrg();
    }

    public String serverLog() throws Exception {
        return server.output();
    }

    @Override
    public void close() throws Exception {
        try {
            for (BrowserContext context : contexts) {
                try {
                    context.close();
                } catch (RuntimeException ignored) {
                    // already gone with the browser
                }
            }
            browser.close();
            playwright.close();
        } finally {
            server.close();
        }
    }
}
