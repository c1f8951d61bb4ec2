package dev.crate.server.workload;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GETs one small JSON document from an issuer without blocking: connect and idle timeouts, an overall
 * deadline, a size limit (the connection is dropped once the body passes it), no redirects. The
 * continuation runs on the caller's Vert.x context, so reactive sessions keep working.
 */
final class IssuerFetch {
    /** Why a document could not be fetched; the message names no credential (there is none here). */
    static final class FetchFailed extends RuntimeException {
        FetchFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;

    IssuerFetch(Vertx vertx, Duration timeout, int maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()))
                .setMaxPoolSize(4)
                .setVerifyHost(true));
    }

    Uni<String> get(String url) {
        Context caller = Vertx.currentContext();
        Promise<String> promise = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setAbsoluteURI(url)
                .setMethod(HttpMethod.GET)
                .setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", "application/json");
        client.request(options)
                .onFailure(e -> promise.tryFail(failed(e)))
                .onSuccess(request -> request.send()
                        .onFailure(e -> promise.tryFail(failed(e)))
                        .onSuccess(response -> {
                            if (response.statusCode() != 200) {
                                promise.tryFail(new FetchFailed("HTTP " + response.statusCode()));
                                request.connection().close();
                                return;
                            }
                            String length = response.getHeader("Content-Length");
                            if (length != null && tooLong(length)) {
                                promise.tryFail(new FetchFailed("larger than " + maxBytes + " bytes"));
                                request.connection().close();
                                return;
                            }
                            Buffer body = Buffer.buffer();
                            response.handler(chunk -> {
                                if (body.length() + chunk.length() > maxBytes) {
                                    promise.tryFail(new FetchFailed("larger than " + maxBytes + " bytes"));
                                    request.connection().close();
                                } else {
                                    body.appendBuffer(chunk);
                                }
                            });
                            response.exceptionHandler(e -> promise.tryFail(failed(e)));
                            response.endHandler(ignored -> promise.tryComplete(body.toString(StandardCharsets.UTF_8)));
                        }));
        Uni<String> uni = Uni.createFrom()
                .completionStage(promise.future().toCompletionStage())
                .ifNoItem()
                .after(timeout.plusMillis(500))
                .failWith(() -> new FetchFailed("no answer within " + timeout.toMillis() + " ms"));
        return onContext(uni, caller);
    }

    /** {@code uni}'s outcome delivered on {@code context} (when there is one), where reactive sessions work. */
    static <T> Uni<T> onContext(Uni<T> uni, Context context) {
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static FetchFailed failed(Throwable e) {
        return e instanceof FetchFailed f ? f : new FetchFailed(e.getClass().getSimpleName());
    }

    void close() {
        client.close();
    }
}
