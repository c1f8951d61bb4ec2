package dev.crate.server.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.server.events.EventSink;
import dev.crate.server.events.EventStream;
import dev.crate.server.events.StreamItem;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A change stream as Server-Sent Events (docs/API.md, section 5b): {@code change} and {@code reset}
 * events with their event id, comment lines for heartbeats. When the client goes away (or a write fails)
 * the stream is cancelled. Each send counts as queued until the connection has written it (the send's
 * completion), so a client that stops reading shows as a growing {@link #queued()}; {@link #abort()}
 * closes the connection, dropping what it still holds.
 */
final class SseSink implements EventSink {
    private final SseEventSink sink;
    private final Sse sse;
    private final ObjectMapper json;
    private final HttpServerResponse response;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile EventStream stream;

    SseSink(SseEventSink sink, Sse sse, ObjectMapper json, HttpServerResponse response) {
        this.sink = sink;
        this.sse = sse;
        this.json = json;
        this.response = response;
    }

    /** Ties the open stream to the connection: a closed connection cancels it. */
    void attach(EventStream opened) {
        this.stream = opened;
        SseBroadcaster closes = sse.newBroadcaster();
        closes.onClose(closed -> opened.cancel());
        closes.register(sink);
        if (sink.isClosed()) {
            opened.cancel();
        }
    }

    @Override
    public void send(StreamItem item) {
        OutboundSseEvent event = event(item);
        if (sink.isClosed()) {
            cancel();
            return;
        }
        queued.incrementAndGet();
        sink.send(event).whenComplete((ok, failure) -> {
            queued.decrementAndGet();
            if (failure != null) {
                cancel();
            }
        });
    }

    private OutboundSseEvent event(StreamItem item) {
        if (item instanceof StreamItem.Change change) {
            return sse.newEventBuilder()
                    .id(Long.toString(change.event().id()))
                    .name("change")
                    .mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, text(change.event().toWire()))
                    .build();
        }
        if (item instanceof StreamItem.Reset reset) {
            return sse.newEventBuilder()
                    .id(Long.toString(reset.position()))
                    .name("reset")
                    .mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, text(Map.of("reason", reset.reason())))
                    .build();
        }
        if (item instanceof StreamItem.Position position) {
            // an id without data: sets the client's last event id, dispatches nothing
            return sse.newEventBuilder()
                    .comment("position")
                    .id(Long.toString(position.position()))
                    .build();
        }
        return sse.newEventBuilder().comment("heartbeat").build();
    }

    @Override
    public void close() {
        sink.close();
    }

    @Override
    public int queued() {
        return queued.get();
    }

    @Override
    public void abort() {
        if (response != null) {
            response.close(); // the connection: what it holds for the client is dropped
        } else {
            sink.close();
        }
    }

    private void cancel() {
        EventStream current = stream;
        if (current != null) {
            current.cancel();
        }
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a change event");
        }
    }
}
