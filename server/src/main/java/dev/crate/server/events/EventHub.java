package dev.crate.server.events;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.domain.CrateException;
import dev.crate.server.identity.Access;
import dev.crate.server.log.LogId;
import dev.crate.server.notify.Notifications;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The open streams of this replica, by org. Each org with streams has a feed: on a notification naming the
 * org (from any replica), on a reconnect of the listener, and at every heartbeat, it reads the org's events
 * after the last id it read, once, and offers them to the org's streams in id order. Before a stream gets
 * an event, and at every heartbeat, its caller's access is checked again (one check per caller and org);
 * a caller that lost it has its streams closed. No thread is held per stream: everything here runs in
 * callbacks.
 */
@ApplicationScoped
public class EventHub {
    private static final Logger LOG = Logger.getLogger(EventHub.class);

    private final SecretEventRepository events;
    private final StreamAccess access;
    private final Notifications notifications;
    private final Vertx vertx;
    private final CrateConfig.Events settings;
    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
    /** Open streams per caller key and per org; guarded by {@code this}. */
    private final Map<String, Integer> perCaller = new HashMap<>();

    private final Map<UUID, Integer> perOrg = new HashMap<>();
    private long heartbeatTimer = -1;

    EventHub(
            SecretEventRepository events,
            StreamAccess access,
            Notifications notifications,
            Vertx vertx,
            CrateConfig config) {
        this.events = events;
        this.access = access;
        this.notifications = notifications;
        this.vertx = vertx;
        this.settings = config.events();
    }

    /** One org's streams and how far its events have been read. */
    private static final class Feed {
        final UUID orgId;
        final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
        long cursor;
        boolean fetching;
        boolean again;

        Feed(UUID orgId, long cursor) {
            this.orgId = orgId;
            this.cursor = cursor;
        }
    }

    void start(@Observes StartupEvent event) {
        notifications.subscribe(SecretEvents.CHANNEL, this::notified);
        notifications.onReconnect(() -> feeds.values().forEach(this::fetch));
        heartbeatTimer = vertx.setPeriodic(Math.max(100, settings.heartbeat().toMillis()), id -> heartbeat());
    }

    void stop(@Observes ShutdownEvent event) {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        feeds.values().forEach(feed -> List.copyOf(feed.streams).forEach(this::close));
    }

    /** How many streams this replica has open. */
    public int open() {
        return feeds.values().stream().mapToInt(f -> f.streams.size()).sum();
    }

    /** The open streams of {@code orgId} on this replica (for tests and diagnostics). */
    List<EventStream> streams(UUID orgId) {
        Feed feed = feeds.get(orgId);
        return feed == null ? List.of() : List.copyOf(feed.streams);
    }

    /**
     * Counts the stream against the limits and adds it to its org's feed; then replays the events after
     * {@code from} and goes live. {@code first} is sent before anything else.
     */
    void register(EventStream stream, long from, StreamItem first) {
        synchronized (this) {
            int caller = perCaller.getOrDefault(stream.callerKey, 0);
            int org = perOrg.getOrDefault(stream.orgId, 0);
            if (caller >= settings.maxStreamsPerCaller() || org >= settings.maxStreamsPerOrg()) {
                throw new CrateException(
                        ErrorCode.TOO_MANY_STREAMS,
                        "too many open change streams (at most " + settings.maxStreamsPerCaller() + " per caller and "
                                + settings.maxStreamsPerOrg()
                                + " per organization on each server); close one or retry later");
            }
            perCaller.put(stream.callerKey, caller + 1);
            perOrg.put(stream.orgId, org + 1);
            feeds.computeIfAbsent(stream.orgId, id -> new Feed(id, from))
                    .streams
                    .add(stream);
        }
        stream.send(first);
        replay(stream, from);
    }

    void unregister(EventStream stream) {
        if (!stream.markClosed()) {
            return;
        }
        synchronized (this) {
            perCaller.computeIfPresent(stream.callerKey, (k, n) -> n <= 1 ? null : n - 1);
            perOrg.computeIfPresent(stream.orgId, (k, n) -> n <= 1 ? null : n - 1);
            Feed feed = feeds.get(stream.orgId);
            if (feed != null) {
                feed.streams.remove(stream);
                if (feed.streams.isEmpty()) {
                    feeds.remove(stream.orgId);
                }
            }
        }
    }

    /**
     * The bound on items waiting for one stream's client: the setting, but never below two pages of a read
     * (a burst offers a whole page at once, before any of it is written, even to a client that reads).
     */
    int maxQueued() {
        return Math.max(2 * SecretEventRepository.PAGE, settings.maxQueuedPerStream());
    }

    /** The stream's client stopped reading: forget the stream and end its connection at once. */
    void tooSlow(EventStream stream, int queued) {
        LogId.EVENTS_STREAM_TOO_SLOW.log(LOG, stream.orgIdText, queued);
        unregister(stream);
        stream.sink.abort();
    }

    /** Unregisters the stream and ends its response. */
    private void close(EventStream stream) {
        unregister(stream);
        stream.sink.close();
    }

    private void replay(EventStream stream, long after) {
        events.after(stream.orgId, after)
                .subscribe()
                .with(
                        page -> {
                            page.forEach(stream::replayed);
                            if (page.size() == SecretEventRepository.PAGE) {
                                replay(stream, page.get(page.size() - 1).id());
                            } else {
                                stream.replayDone();
                            }
                        },
                        failure -> {
                            LogId.EVENTS_FETCH_FAILED.log(
                                    LOG, stream.orgIdText, failure.getClass().getSimpleName());
                            close(stream);
                        });
    }

    /** Payload {@code <org id>:<event id>}, from any replica's commit. */
    private void notified(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        UUID orgId;
        long id;
        try {
            orgId = UUID.fromString(payload.substring(0, colon));
            id = Long.parseLong(payload.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return;
        }
        Feed feed = feeds.get(orgId);
        if (feed != null) {
            synchronized (feed) {
                if (id <= feed.cursor) {
                    return;
                }
            }
            fetch(feed);
        }
    }

    /** Reads the feed's new events, one read at a time per feed; a request during a read makes another. */
    private void fetch(Feed feed) {
        long cursor;
        synchronized (feed) {
            if (feed.fetching) {
                feed.again = true;
                return;
            }
            feed.fetching = true;
            feed.again = false;
            cursor = feed.cursor;
        }
        events.after(feed.orgId, cursor)
                .call(page -> deliver(feed, page))
                .subscribe()
                .with(
                        page -> {
                            boolean more;
                            synchronized (feed) {
                                if (!page.isEmpty()) {
                                    feed.cursor = Math.max(
                                            feed.cursor,
                                            page.get(page.size() - 1).id());
                                }
                                more = feed.again || page.size() == SecretEventRepository.PAGE;
                                feed.fetching = false;
                            }
                            if (more) {
                                fetch(feed);
                            }
                        },
                        failure -> {
                            synchronized (feed) {
                                feed.fetching = false;
                            }
                            LogId.EVENTS_FETCH_FAILED.log(
                                    LOG,
                                    feed.orgId.toString(),
                                    failure.getClass().getSimpleName());
                        });
    }

    /** Re-checks the callers of the streams that want one of {@code page}'s events, then offers the page. */
    private Uni<Void> deliver(Feed feed, List<SecretEvent> page) {
        if (page.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<EventStream> wanting = new ArrayList<>();
        for (EventStream stream : feed.streams) {
            long last = stream.lastId();
            if (page.stream().anyMatch(e -> e.id() > last && stream.wants(e))) {
                wanting.add(stream);
            } else {
                page.forEach(stream::offer);
            }
        }
        return recheck(wanting, stream -> page.forEach(stream::offer));
    }

    /** Every heartbeat: re-check each caller, send the heartbeat, and read each feed (a notification may be lost). */
    private void heartbeat() {
        List<EventStream> all = new ArrayList<>();
        feeds.values().forEach(feed -> all.addAll(feed.streams));
        recheck(all, stream -> stream.send(new StreamItem.Heartbeat()))
                .subscribe()
                .with(ok -> feeds.values().forEach(this::fetch), failure -> {});
    }

    /**
     * Checks each distinct caller of {@code streams} once, one after the other; streams whose caller passed
     * get their access refreshed and {@code then}; a caller who lost access has its streams closed. When the
     * check itself fails (the database is away), the streams go on as they were.
     */
    private Uni<Void> recheck(List<EventStream> streams, Consumer<EventStream> then) {
        Map<String, List<EventStream>> byCaller = new LinkedHashMap<>();
        streams.forEach(s ->
                byCaller.computeIfAbsent(s.callerKey, k -> new ArrayList<>()).add(s));
        return Multi.createFrom()
                .iterable(byCaller.values())
                .onItem()
                .transformToUniAndConcatenate(group -> {
                    EventStream first = group.get(0);
                    return access.check(first.caller, first.orgIdText)
                            .onItemOrFailure()
                            .invoke((Access fresh, Throwable failure) -> {
                                if (failure instanceof CrateException denied) {
                                    LogId.EVENTS_STREAM_REVOKED.log(
                                            LOG, first.orgIdText, denied.code().code());
                                    group.forEach(stream -> {
                                        unregister(stream);
                                        stream.sink.deny(denied);
                                    });
                                    return;
                                }
                                group.forEach(stream -> {
                                    if (fresh != null) {
                                        stream.refreshed(fresh);
                                    }
                                    then.accept(stream);
                                });
                            })
                            .onFailure()
                            .recoverWithNull();
                })
                .collect()
                .last()
                .replaceWithVoid();
    }
}
