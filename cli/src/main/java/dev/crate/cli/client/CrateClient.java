package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * HTTP access to one Crate server. Every non-2xx answer becomes a typed {@link ApiException} through
 * {@link ErrorTable}; a server that cannot be reached becomes one line naming its URL.
 *
 * <p>One request per command is the rule, so GET, POST, PUT and DELETE go through one plain
 * {@link HttpURLConnection} (HTTP/1.1; most of it is in the JDK's own class archive): the JDK's
 * {@code java.net.http} client costs a cold JVM ~270 classes, a selector thread and tens of milliseconds
 * to build. It is built, lazily, only for PATCH (which {@code HttpURLConnection} refuses) and the streamed
 * audit export. {@link #sendLean} answers with {@link LeanJson} trees, so that the lean path loads no Jackson.
 */
public final class CrateClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final String server;
    private final Supplier<String> token;
    private final BooleanSupplier renewAfterRefusal;
    private HttpClient http;

    public CrateClient(String server, Supplier<String> token) {
        this(server, token, () -> false);
    }

    /**
     * {@code renewAfterRefusal} runs when the server answers 401 to a request with a credential: true means
     * it replaced the credential (a workload token exchanged again), and the request is sent once more with
     * the new one. A 401 is answered before anything is done, so sending again is safe for every method.
     */
    public CrateClient(String server, Supplier<String> token, BooleanSupplier renewAfterRefusal) {
        this.server = stripSlash(server);
        this.token = token;
        this.renewAfterRefusal = renewAfterRefusal;
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClients.forServer(server).build();
        }
        return http;
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
            HttpResponse<java.io.InputStream> response =
                    http().send(request, HttpResponse.BodyHandlers.ofInputStream());
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

    /**
     * Sends {@code body} (a {@link LeanJson} value; null: none) and answers the answer's body as a
     * {@link LeanJson} tree (an empty body: an empty map); no Jackson on the way unless the server refuses.
     */
    public Object sendLean(String method, String path, Object body) {
        byte[] answer =
                call(method, path, body == null ? null : LeanJson.write(body).getBytes(StandardCharsets.UTF_8), true);
        if (answer.length == 0) {
            return Map.of();
        }
        try {
            return LeanJson.parse(new String(answer, StandardCharsets.UTF_8));
        } catch (LeanJson.MalformedException e) {
            throw unexpectedShape();
        }
    }

    /** The error of an answer whose JSON does not have the shape a Crate server gives. */
    public static CliException unexpectedShape() {
        return new CliException("the server's answer has an unexpected shape (is " + "this a Crate server?)");
    }

    private JsonNode send(String method, String path, Object body, boolean authenticated) {
        try {
            return sendOnce(method, path, body, authenticated);
        } catch (ApiException.NotAuthenticated refused) {
            if (authenticated && renewAfterRefusal.getAsBoolean()) {
                return sendOnce(method, path, body, true);
            }
            throw refused;
        }
    }

    private JsonNode sendOnce(String method, String path, Object body, boolean authenticated) {
        if (!method.equals("PATCH")) {
            return readTree(callOnce(method, path, body == null ? null : encode(body), authenticated));
        }
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
            return http().send(request, HttpResponse.BodyHandlers.ofByteArray());
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

    /**
     * One exchange over {@link HttpURLConnection}: no proxy (as the {@code java.net.http} client, which has
     * none unless given one), no redirects followed, 10 s to connect and 30 s for the answer. Answers the
     * body of a 2xx answer; any other status becomes its typed exception.
     */
    private byte[] call(String method, String path, byte[] body, boolean authenticated) {
        try {
            return callOnce(method, path, body, authenticated);
        } catch (ApiException.NotAuthenticated refused) {
            if (authenticated && renewAfterRefusal.getAsBoolean()) {
                return callOnce(method, path, body, true);
            }
            throw refused;
        }
    }

    private byte[] callOnce(String method, String path, byte[] body, boolean authenticated) {
        URI uri = uri(path);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw CliException.usage("invalid server URL: " + server);
        }
        boolean connected = false;
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Accept", "application/json");
            connection.setRequestProperty("User-Agent", "crate-cli");
            if (authenticated) {
                connection.setRequestProperty("Authorization", "Bearer " + token.get());
            }
            if (body != null) {
                connection.setRequestProperty("Content-Type", "application/json");
                // buffered, not streamed: in streaming mode a 401 answer becomes an HttpRetryException
                connection.setDoOutput(true);
            }
            dev.crate.cli.Timing.mark("request built");
            connection.connect();
            connected = true;
            if (body != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status >= 200 && status < 300) {
                return answer;
            }
            throw ErrorTable.from(status, readTree(answer));
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (SocketTimeoutException e) {
            if (!connected) {
                throw unreachable("connection timed out");
            }
            throw new CliException("the Crate server at " + server + " did not answer in time");
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid server URL: " + server);
        } catch (IOException e) {
            throw unreachable(e.getClass().getSimpleName());
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
            throw unexpectedShape();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
