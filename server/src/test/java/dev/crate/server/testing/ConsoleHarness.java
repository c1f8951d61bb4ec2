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

    /**
     * Text on the page whose colour contrasts with its background less than WCAG 2.1 AA asks (4.5:1,
     * or 3:1 for large text), as "tag.class \"text\" ratio"; empty when all of it reads well. The
     * background is composited from the element up to the page; disabled controls are exempt.
     */
    @SuppressWarnings("unchecked")
    public static List<String> lowContrastText(Page page) {
        return (List<String>) page.evaluate(CONTRAST_CHECK);
    }

    private static final String CONTRAST_CHECK = """
            () => {
              const parse = (c) => {
                const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
                if (!m) return null;
                const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
                return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
              };
              const over = (top, bottom) => ({
                r: top.r * top.a + bottom.r * (1 - top.a),
                g: top.g * top.a + bottom.g * (1 - top.a),
                b: top.b * top.a + bottom.b * (1 - top.a),
                a: 1,
              });
              const lum = (c) => {
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
              };
              const background = (node) => {
                const layers = [];
                for (let n = node; n; n = n.parentElement) {
                  const c = parse(getComputedStyle(n).backgroundColor);
                  if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
                }
                let bg = { r: 255, g: 255, b: 255, a: 1 };
                for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
                return bg;
              };
              const opacity = (node) => {
                let o = 1;
                for (let n = node; n; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity);
                return o;
              };
              const out = [];
              const seen = new Set();
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const text = walker.currentNode.textContent.trim();
                const e = walker.currentNode.parentElement;
                if (!text || !e || seen.has(e)) continue;
                seen.add(e);
                if (e.closest('option, noscript, :disabled, [hidden]')) continue;
                const box = e.getBoundingClientRect();
                const style = getComputedStyle(e);
                if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
                const bg = background(e);
                const fg = parse(style.color);
                const shown = over({ ...fg, a: fg.a * opacity(e) }, bg);
                const [hi, lo] = [lum(shown), lum(bg)].sort((x, y) => y - x);
                const ratio = (hi + 0.05) / (lo + 0.05);
                const size = parseFloat(style.fontSize);
                const large = size >= 24 || (parseInt(style.fontWeight, 10) >= 700 && size >= 18.66);
                if (ratio < (large ? 3 : 4.5)) {
                  out.push(e.tagName.toLowerCase() + '.' + e.className + ' "' + text.slice(0, 40) + '" ' + ratio.toFixed(2));
                }
              }
              return out;
            }
            """;

    /**
     * Form controls (inputs, selects, text areas, buttons) of the page and its open dialogs that have
     * no accessible name: no label, no aria-label and, for a button, no text.
     */
    @SuppressWarnings("unchecked")
    public static List<String> unlabelledControls(Page page) {
        return (List<String>) page.evaluate("""
                () => [...document.querySelectorAll('input, select, textarea, button')]
                  .filter((e) => e.type !== 'hidden' && e.getClientRects().length > 0)
                  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                    && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
                  .map((e) => e.tagName.toLowerCase() + '#' + (e.id || e.name || '?'))
                """);
    }

    /** How many CSS pixels the page scrolls sideways (0 when it fits the viewport). */
    public static int sidewaysOverflow(Page page) {
        return ((Number) page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")).intValue();
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
