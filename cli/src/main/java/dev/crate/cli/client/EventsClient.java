package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.crate.cli.live.Watch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The change stream of one organization's secrets ({@code GET /organization/{id}/secrets/events}, docs/API.md):
 * names, versions and actions, never values. It is read with {@link HttpURLConnection} rather than the
 * {@code HttpClient} of {@link CrateClient} because a long-lived stream needs a read timeout: with heartbeats
 * every ~15 s, {@value #IDLE_TIMEOUT_MS} ms of silence means the connection is dead and must be replaced.
 */
public final class EventsClient implements Watch.Source {
    static final int IDLE_TIMEOUT_MS = 45_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final String server;
    private final Supplier<String> token;
    private final String path;

    public EventsClient(
            String server,
            Supplier<String> token,
            String orgId,
            String environment,
            List<String> tags,
            List<String> names) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
        this.path = Query.path(CrateClient.orgPath(orgId) + "/secrets/events")
                .param("env", environment)
                .param("tags", tags)
                .param("names", names)
                .toString();
    }

    @Override
    public Watch.Connection open(Optional<String> lastEventId) throws IOException {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(server + path).toURL().openConnection();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid server URL: " + server);
        }
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(IDLE_TIMEOUT_MS);
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty("Accept", "text/event-stream");
        connection.setRequestProperty("Cache-Control", "no-cache");
        connection.setRequestProperty("User-Agent", "crate-cli");
        connection.setRequestProperty("Authorization", "Bearer " + token.get());
        lastEventId.ifPresent(id -> connection.setRequestProperty("Last-Event-ID", id));
        int status = connection.getResponseCode();
        if (status != 200) {
            JsonNode problem = problem(connection.getErrorStream());
            long retryAfter = retryAfter(connection);
            connection.disconnect();
            ApiException refused = ErrorTable.from(status, problem);
            if (status == 429 || status == 503) {
                throw new Watch.RetryLater(refused.getMessage(), retryAfter);
            }
            throw refused;
        }
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        return new Watch.Connection() {
            @Override
            public String readLine() throws IOException {
                return reader.readLine();
            }

            @Override
            public void close() {
                connection.disconnect();
            }
        };
    }

    private static long retryAfter(HttpURLConnection connection) {
        String value = connection.getHeaderField("Retry-After");
        try {
            return value == null ? 0 : Math.min(300, Long.parseLong(value.trim())) * 1000;
        } catch (NumberFormatException dateForm) {
            return 0;
        }
    }

    private static JsonNode problem(InputStream body) {
        if (body == null) {
            return MissingNode.getInstance();
        }
        try (body) {
            return Json.MAPPER.readTree(body.readNBytes(64 * 1024));
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
