package dev.crate.server.events;

import dev.crate.server.domain.Caller;
import dev.crate.server.identity.Access;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One open change stream: who asked (and what they may see, refreshed on every re-check), what they asked
 * for, where it goes, and the last event id it has passed. Until its replay from the table is done, live
 * events wait in {@code pending}; an event id at or below {@code lastId} is never sent twice. What waits
 * for the client is bounded: when the sink already holds {@code maxQueued} unwritten items (the client
 * stopped reading), the stream is closed instead of sending more (docs/API.md, section 5b); the events stay
 * in the table, so the client's resume from its last event id loses nothing.
 */
public final class EventStream {
    final UUID orgId;
    final String orgIdText;
    final Caller caller;
    /** Streams of one caller share their re-checks and count against one limit. */
    final String callerKey;

    final StreamFilter filter;
    final EventSink sink;
    private final EventHub hub;
    private volatile Access access;
    private long lastId;
    private boolean replaying = true;
    private final List<SecretEvent> pending = new ArrayList<>();
    private boolean closed;
    private final int maxQueued;
    /** The most items the sink ever held unwritten when this stream handed it one more. */
    private int mostQueued;

    EventStream(EventHub hub, Caller caller, Access access, StreamFilter filter, long from, EventSink sink) {
        this.hub = hub;
        this.caller = caller;
        this.access = access;
        this.orgId = access.org().id;
        this.orgIdText = orgId.toString();
        this.callerKey = orgIdText + "/" + caller.actor();
        this.filter = filter;
        this.lastId = from;
        this.sink = sink;
        this.maxQueued = hub.maxQueued();
    }

    /** The client went away (or the server stops): forget the stream. Idempotent. */
    public void cancel() {
        hub.unregister(this);
    }

    void refreshed(Access fresh) {
        access = fresh;
    }

    synchronized long lastId() {
        return lastId;
    }

    /** A live event from the org's feed. */
    synchronized void offer(SecretEvent event) {
        if (closed) {
            return;
        }
        if (replaying) {
            pending.add(event);
        } else {
            deliver(event);
        }
    }

    /** An event read by this stream's own replay. */
    synchronized void replayed(SecretEvent event) {
        if (!closed) {
            deliver(event);
        }
    }

    /** The replay has caught up: the live events that came meanwhile follow, without repeats. */
    synchronized void replayDone() {
        replaying = false;
        for (SecretEvent event : pending) {
            if (closed) {
                break;
            }
            deliver(event);
        }
        pending.clear();
    }

    synchronized void send(StreamItem item) {
        if (!closed) {
            emit(item);
        }
    }

    /** The most items the sink held unwritten when it was handed another (never more than the bound). */
    synchronized int mostQueued() {
        return mostQueued;
    }

    /** Hands {@code item} to the sink, or closes the stream if the client has not taken what it got. */
    private void emit(StreamItem item) {
        int queued = sink.queued();
        if (queued >= maxQueued) {
            hub.tooSlow(this, queued);
            return;
        }
        mostQueued = Math.max(mostQueued, queued);
        sink.send(item);
    }

    /** Marks the stream closed; true the first time. */
    synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        pending.clear();
        return true;
    }

    /** Whether the stream would send {@code event} (assuming it is new to it). */
    boolean wants(SecretEvent event) {
        Access current = access;
        return filter.matches(event)
                && current.environments()
                        .map(e -> e.contains(event.environment()))
                        .orElse(true)
                && current.sees(event.tags().toArray(String[]::new));
    }

    private void deliver(SecretEvent event) {
        if (event.id() <= lastId) {
            return;
        }
        lastId = event.id();
        if (wants(event)) {
            emit(new StreamItem.Change(event));
        }
    }
}
