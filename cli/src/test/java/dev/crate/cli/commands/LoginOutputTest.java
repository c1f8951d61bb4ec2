package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code crate login} tells the user, against a fake server and identity provider that approve at once. */
class LoginOutputTest {
    private static final String ACCESS_TOKEN = "canary-access-token-5e1f";

    @TempDir
    Path home;

    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        answer(
                "/auth/config",
                "{\"oidc_enabled\":true,\"issuer\":\"" + url + "\",\"device_authorization_endpoint\":\"" + url
                        + "/device\",\"token_endpoint\":\"" + url + "/token\",\"client_id\":\"crate-cli\"}");
        answer(
                "/device",
                "{\"device_code\":\"dc\",\"user_code\":\"ABCD-EFGH\",\"verification_uri\":\"" + url
                        + "/activate\",\"verification_uri_complete\":\"" + url
                        + "/activate?user_code=ABCD-EFGH\",\"interval\":1,\"expires_in\":60}");
        answer("/token", "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":300,\"refresh_token\":\"r\"}");
        answer(
                "/organizations",
                "{\"organizations\":[{\"id\":\"00000000-0000-0000-0000-000000000001\",\"name\":\"acme\"}]}");
        answer("/me", "{\"kind\":\"user\",\"subject\":\"s-1\",\"email\":\"alice@example.com\",\"organizations\":[]}");
        server.start();
    }

    private void answer(String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void loginPrintsTheCompleteUrlWaitsAndSaysWhoYouAre() {
        Headless.Result r = Headless.run(
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "CRATE_SERVER", url),
                home,
                "login",
                "--no-browser");
        assertEquals(0, r.exit(), r.all());
        assertTrue(
                r.err().contains("Open this URL to approve the login: " + url + "/activate?user_code=ABCD-EFGH"),
                r.err());
        assertTrue(r.err().contains("waiting for approval"), r.err());
        assertTrue(
                r.err().strip().endsWith("logged in to " + url + " as alice@example.com (organization acme)"), r.err());
        assertFalse(r.all().contains(ACCESS_TOKEN), "the token is never printed");
    }
}
