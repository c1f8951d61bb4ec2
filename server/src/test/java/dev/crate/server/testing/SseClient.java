package dev.crate.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client for the change stream tests, non-blocking (no thread per stream): it parses
 * the stream as a browser's EventSource does and queues the dispatched events ({@code change},
 * {@code reset}); comments count as heartbeats, an {@code id} without data moves {@link #lastId()}.
 */
public final class SseClient implements AutoCloseable {
    public record Event(String id, String event, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch headers = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final List<String> body = new ArrayList<>();
    private volatile int status;
    private volatile String lastId;
    private volatile Flow.Subscription subscription;
    private CompletableFuture<HttpResponse<Void>> response;

    // the event being read
    private String id;
    private String type;
    private StringBuilder data;

    public static SseClient open(HttpClient http, URI uri, String token, String lastEventId) {
        SseClient client = new SseClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        client.response = http.sendAsync(request.build(), info -> {
            client.status = info.statusCode();
            client.headers.countDown();
            return HttpResponse.BodySubscribers.fromLineSubscriber(client.new Lines());
        });
        client.response.whenComplete((r, failure) -> {
            client.headers.countDown();
            client.ended.countDown();
        });
        return client;
    }

    /** The HTTP status, once the headers came (0: none within 20 s). */
    public int status() throws InterruptedException {
        headers.await(20, TimeUnit.SECONDS);
        return status;
    }

    /** The next dispatched event, or null when none came in time. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int heartbeats() {
        return heartbeats.get();
    }

    public String lastId() {
        return lastId;
    }

    /** The body of a refused request (problem+json), once it has been read (at most 10 s). */
    public String body() throws InterruptedException {
        ended.await(10, TimeUnit.SECONDS);
        synchronized (this) {
            return String.join("\n", body);
        }
    }

    /** Whether the server ended the stream within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    private synchronized void line(String line) {
        if (status != 200) {
            body.add(line);
            return;
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            heartbeats.incrementAndGet();
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {}
        }
    }

    private void dispatch() {
        if (id != null) {
            lastId = id;
        }
        if (data != null) {
            events.add(new Event(id != null ? id : lastId, type == null ? "message" : type, data.toString()));
        }
        id = null;
        type = null;
        data = null;
    }

    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            line(item);
        }

        @Override
        public void onError(Throwable throwable) {
            ended.countDown();
        }

        @Override
        public void onComplete() {
            ended.countDown();
        }
    }
}
