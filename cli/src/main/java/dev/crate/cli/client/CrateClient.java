package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * HTTP access to one Crate server. Every non-2xx answer becomes a typed {@link ApiException} through
 * {@link ErrorTable}; a server that cannot be reached becomes one line naming its URL.
 */
public final class CrateClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String server;
    private final Supplier<String> token;
    private final HttpClient http;

    public CrateClient(String server, Supplier<String> token) {
        this.server = stripSlash(server);
        this.token = token;
        this.http = HttpClients.forServer(this.server).build();
    }

    public String server() {
        return server;
    }

    /** {@code /organization/{id}}, the root of every org-scoped endpoint. */
    static String orgPath(String orgId) {
        return "/organization/" + Query.segment(orgId);
    }

    public <T> T get(String path, Class<T> type) {
        return convert(send("GET", path, null, true), type);
    }

    /**
     * Streams a GET's body to {@code out} as it arrives (audit exports); a refusal still becomes the typed
     * exception of its error code.
     */
    void download(String path, java.io.OutputStream out) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("User-Agent", "crate-cli")
                .header("Authorization", "Bearer " + token.get())
                .GET()
                .build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = response.body()) {
                if (response.statusCode() >= 300) {
                    throw ErrorTable.from(response.statusCode(), readTree(body.readAllBytes()));
                }
                body.transferTo(out);
                out.flush();
            }
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** An unauthenticated GET, for discovery endpoints. */
    public <T> T getAnonymous(String path, Class<T> type) {
        return convert(send("GET", path, null, false), type);
    }

    /** Sends {@code body} (null: none) as JSON; {@code Void.class} ignores the answer's body. */
    public <T> T send(String method, String path, Object body, Class<T> type) {
        return convert(send(method, path, body, true), type);
    }

    /** Sends {@code body} as JSON without a credential (the workload token exchange). */
    public <T> T sendAnonymous(String method, String path, Object body, Class<T> type) {
        return convert(send(method, path, body, false), type);
    }

    private JsonNode send(String method, String path, Object body, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "crate-cli");
        if (authenticated) {
            request.header("Authorization", "Bearer " + token.get());
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(encode(body)));
        }
        dev.crate.cli.Timing.mark("request built");
        HttpResponse<byte[]> response = exchange(request.build());
        return parse(response);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliException("the Crate server at " + server + " did not answer in time");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private CliException unreachable(String why) {
        return new CliException(
                "cannot reach the Crate server at " + server + " (" + why + "); check --server or CRATE_SERVER");
    }

    private JsonNode parse(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode node = readTree(response.body());
        if (status >= 200 && status < 300) {
            return node;
        }
        throw ErrorTable.from(status, node);
    }

    private static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private URI uri(String path) {
        try {
            return URI.create(server + path);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid server URL: " + server);
        }
    }

    private static byte[] encode(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException("cannot encode the request");
        }
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        if (type == Void.class) {
            return null;
        }
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (IOException e) {
            throw new CliException("the server's answer has an unexpected shape (is " + "this a Crate server?)");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
