package dev.crate.server.identity;

import static dev.crate.server.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.KeycloakResource;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole OAuth 2.0 device authorization grant (RFC 8628) against the real Keycloak, the way
 * {@code crate login} runs it: discover through {@code /auth/config}, ask for a device code, let the
 * user approve in the browser (Keycloak's login and consent pages, driven over HTTP), poll for the
 * token, then use it against Crate.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class DeviceFlowTest {
    private static final Pattern FORM =
            Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>", Pattern.DOTALL);
    private static final Pattern ATTR = Pattern.compile("(name|value|type)=\"([^\"]*)\"");
    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new LocalhostCookies())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    @Test
    void aUserLoggedInByDeviceFlowReadsOnlyWhatTheGrantsAllow() throws Exception {
        Org orgA = Api.newOrg();
        Org orgB = Api.newOrg();
        Api.storeOk(orgA, "dev", "DEV_ONLY", "dev-value", List.of("backend"));
        Api.storeOk(orgA, "prod", "PROD_ONLY", "prod-value", null);
        as(orgA.adminKey())
                .body(Map.of("email", "alice@example.com", "role", "member", "grants", Map.of("dev", List.of("read"))))
                .post("/organization/" + orgA.id() + "/members")
                .then()
                .statusCode(201);

        JsonNode config = Api.JSON.readTree(
                given().get("/auth/config").then().statusCode(200).extract().asString());
        assertEquals(true, config.get("oidc_enabled").asBoolean());
        assertEquals("crate-cli", config.get("client_id").asText());
        // the web console's authorization code flow (docs/CONSOLE.md, section 4)
        assertEquals("crate-console", config.get("console_client_id").asText());
        assertEquals(
                KeycloakResource.issuer() + "/protocol/openid-connect/auth",
                config.get("authorization_endpoint").asText());
        String token = deviceFlow(config, "alice", "alice-password");

        given().header("Authorization", "Bearer " + token)
                .get("/me")
                .then()
                .statusCode(200)
                .body("kind", equalTo("user"))
                .body("email", equalTo("alice@example.com"))
                .body("organizations[0].id", equalTo(orgA.id()))
                .body("organizations[0].role", equalTo("member"));
        assertEquals("dev-value", Api.value(retrieveAs(token, orgA, "dev", 200), "DEV_ONLY"));
        retrieveAs(token, orgA, "prod", 403);
        retrieveAs(token, orgB, "dev", 404);
    }

    private dev.crate.protocol.wire.RetrievedPayload retrieveAs(String token, Org org, String env, int status)
            throws Exception {
        TemporaryKey key = TemporaryKey.generate();
        var response = given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(Map.of("environment", env, "client_public_jwk", key.publicJwk()))
                .post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(status);
        return status == 200
                ? Api.JSON.readValue(
                        key.open(response.path("sealed_payload")), dev.crate.protocol.wire.RetrievedPayload.class)
                : null;
    }

    /** RFC 8628 §3.1–3.5, with the user's part (§3.3) done by driving Keycloak's pages. */
    private String deviceFlow(JsonNode config, String user, String password) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String scopes = String.join(" ", Api.JSON.convertValue(config.get("scopes"), String[].class));
        JsonNode device = Api.JSON.readTree(client.send(
                        post(
                                config.get("device_authorization_endpoint").asText(),
                                Map.of("client_id", config.get("client_id").asText(), "scope", scopes)),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertTrue(device.has("user_code") && device.has("verification_uri"), device.toString());

        approveInBrowser(device.get("verification_uri_complete").asText(), user, password);

        for (int attempt = 0; attempt < 30; attempt++) {
            JsonNode answer = Api.JSON.readTree(client.send(
                            post(
                                    config.get("token_endpoint").asText(),
                                    Map.of(
                                            "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                                            "device_code",
                                                    device.get("device_code").asText(),
                                            "client_id", config.get("client_id").asText())),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            if (answer.has("access_token")) {
                assertTrue(answer.has("refresh_token"), "offline/refresh token for silent refresh");
                return answer.get("access_token").asText();
            }
            assertTrue(
                    List.of("authorization_pending", "slow_down")
                            .contains(answer.path("error").asText()),
                    answer.toString());
            Thread.sleep(1000L * Math.max(1, device.path("interval").asInt(1)));
        }
        throw new AssertionError("no token after approval");
    }

    /** Follows the verification URL through login and consent, submitting each form as a person would. */
    private void approveInBrowser(String verificationUrl, String user, String password) throws Exception {
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(verificationUrl)).build(), HttpResponse.BodyHandlers.ofString());
        for (int step = 0; step < 6; step++) {
            String body = page.body();
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "device-page-" + step + ".html"), body);
            if (body.contains("Device Login Successful")
                    || body.contains("device-login-success")
                    || body.toLowerCase().contains("you may now close")) {
                return;
            }
            Matcher form = FORM.matcher(body);
            assertTrue(form.find(), "expected a form on: " + body.substring(0, Math.min(body.length(), 400)));
            String action = form.group(1).replace("&amp;", "&");
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher input = INPUT.matcher(form.group(2));
            boolean hasAccept = false;
            while (input.find()) {
                Map<String, String> attrs = new LinkedHashMap<>();
                Matcher attr = ATTR.matcher(input.group());
                while (attr.find()) {
                    attrs.put(attr.group(1), attr.group(2));
                }
                String name = attrs.get("name");
                if (name == null) {
                    continue;
                }
                if ("accept".equals(name)) {
                    hasAccept = true;
                } else if (!"cancel".equals(name) && !"submit".equals(attrs.get("type"))) {
                    fields.put(name, attrs.getOrDefault("value", ""));
                }
            }
            if (fields.containsKey("username")) {
                fields.put("username", user);
                fields.put("password", password);
            }
            if (hasAccept || form.group(2).contains("name=\"accept\"")) {
                fields.put("accept", "Yes");
            }
            page = browser.send(
                    post(URI.create(page.uri().toString()).resolve(action).toString(), fields),
                    HttpResponse.BodyHandlers.ofString());
        }
        throw new AssertionError("the device was not approved: "
                + page.body().substring(0, Math.min(page.body().length(), 400)));
    }

    /**
     * A browser's cookie jar for one host. Keycloak marks its login cookies Secure even on plain-HTTP
     * localhost, which browsers accept as a secure context and java.net.CookieManager does not.
     */
    private static final class LocalhostCookies extends java.net.CookieHandler {
        private final Map<String, String> jar = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            if (jar.isEmpty()) {
                return Map.of();
            }
            return Map.of(
                    "Cookie",
                    List.of(jar.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) {
            headers.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String cookie : values) {
                        String pair = cookie.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            String value = pair.substring(eq + 1);
                            if (value.isEmpty() || cookie.toLowerCase().contains("max-age=0")) {
                                jar.remove(pair.substring(0, eq).trim());
                            } else {
                                jar.put(pair.substring(0, eq).trim(), value);
                            }
                        }
                    }
                }
            });
        }
    }

    private static HttpRequest post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
