package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.session.StoredToken;
import dev.crate.protocol.wire.AuthConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628) and refresh-token grant against the identity
 * provider the server names in {@code GET /auth/config}.
 */
public final class DeviceFlow {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AuthConfig config;

    public DeviceFlow(AuthConfig config) {
        this.config = config;
    }

    /** What the user must do: open {@code verificationUri} and enter {@code userCode}. */
    public record Authorization(
            String deviceCode,
            String userCode,
            String verificationUri,
            String verificationUriComplete,
            int interval,
            int expiresIn) {}

    public Authorization start() {
        JsonNode answer = post(
                config.deviceAuthorizationEndpoint(),
                Map.of("client_id", config.clientId(), "scope", String.join(" ", scopes(config))));
        if (!answer.hasNonNull("device_code")) {
            throw new CliException("the identity provider refused the device login: " + error(answer));
        }
        return new Authorization(
                answer.get("device_code").asText(),
                answer.path("user_code").asText(),
                answer.path("verification_uri").asText(),
                answer.path("verification_uri_complete").asText(null),
                answer.path("interval").asInt(5),
                answer.path("expires_in").asInt(600));
    }

    /** Polls the token endpoint until the user approves, denies or the code expires. */
    public StoredToken await(Authorization authorization, Consumer<String> progress) {
        long interval = Math.max(1, authorization.interval());
        Instant deadline = Instant.now().plusSeconds(authorization.expiresIn());
        while (Instant.now().isBefore(deadline)) {
            sleep(interval);
            JsonNode answer = post(
                    config.tokenEndpoint(),
                    Map.of(
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:device_code",
                            "device_code",
                            authorization.deviceCode(),
                            "client_id",
                            config.clientId()));
            if (answer.hasNonNull("access_token")) {
                return token(answer, null);
            }
            switch (answer.path("error").asText("")) {
                case "authorization_pending" -> progress.accept("waiting for approval");
                case "slow_down" -> interval += 5;
                case "expired_token" ->
                    throw new CliException("the login code expired before it was approved; run 'crate login' again");
                case "access_denied" -> throw new CliException("the login was denied");
                default -> throw new CliException("login failed: " + error(answer));
            }
        }
        throw new CliException("the login code expired before it was approved; run 'crate login' again");
    }

    /** Exchanges the refresh token for a new access token. */
    public static StoredToken refresh(StoredToken old) {
        DeviceFlow flow = new DeviceFlow(
                new AuthConfig(true, null, null, old.tokenEndpoint(), old.clientId(), java.util.List.of(), null, null));
        JsonNode answer = flow.post(
                old.tokenEndpoint(),
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        old.refreshToken(),
                        "client_id",
                        old.clientId()));
        if (!answer.hasNonNull("access_token")) {
            throw new CliException("your login session expired; run 'crate login' again");
        }
        return flow.token(answer, old.refreshToken());
    }

    private StoredToken token(JsonNode answer, String previousRefresh) {
        Instant expires = answer.hasNonNull("expires_in")
                ? Instant.now().plusSeconds(answer.get("expires_in").asLong())
                : null;
        String refresh =
                answer.hasNonNull("refresh_token") ? answer.get("refresh_token").asText() : previousRefresh;
        return new StoredToken(
                StoredToken.OIDC,
                answer.get("access_token").asText(),
                refresh,
                expires,
                config.tokenEndpoint(),
                config.clientId(),
                null,
                null);
    }

    private JsonNode post(String endpoint, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        new LinkedHashMap<>(form).forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create(endpoint))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("cannot reach the identity provider at " + endpoint + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static String error(JsonNode answer) {
        String error = answer.path("error").asText("unknown error");
        String description = answer.path("error_description").asText("");
        return description.isBlank() ? error : error + " (" + description + ")";
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The scopes the server asks for; the usual ones when it names none. */
    static java.util.List<String> scopes(AuthConfig config) {
        return config.scopes() == null || config.scopes().isEmpty()
                ? java.util.List.of("openid", "profile", "email", "offline_access")
                : config.scopes();
    }
}
