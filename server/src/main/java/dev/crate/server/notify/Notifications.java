package dev.crate.server.notify;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.log.LogId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One dedicated PostgreSQL connection (the datasource's settings, outside its pool) that {@code LISTEN}s on
 * every channel a subscriber names and hands each payload to the channel's handlers. A dropped or silently
 * dead connection (a periodic query checks) is replaced with growing waits; once the new connection listens
 * again, the {@link #onReconnect} callbacks run, so subscribers fill what they may have missed meanwhile
 * (notifications sent while nobody listened are lost: PostgreSQL keeps none for later).
 *
 * <p>Handlers run on the connection's event loop: they must not block. Sending is {@link Publish}.
 */
@ApplicationScoped
public class Notifications {
    private static final Logger LOG = Logger.getLogger(Notifications.class);
    /** {@code application_name} of the listener connection, as {@code pg_stat_activity} shows it. */
    public static final String APPLICATION_NAME = "crate-notify";

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final CrateConfig.Notifications settings;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectHandlers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** The listening connection, or null while there is none. Guarded by {@link #lock}. */
    private PgConnection connection;

    private boolean stopped;
    private boolean everConnected;
    private int failedAttempts;
    private long pingTimer = -1;

    Notifications(
            Vertx vertx,
            CrateConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.settings = config.notifications();
        this.options = connectOptions(url, user, password);
    }

    static PgConnectOptions connectOptions(Optional<String> url, Optional<String> user, Optional<String> password) {
        String uri = url.orElse("postgresql://127.0.0.1:5432/crate").trim();
        if (uri.startsWith("vertx-reactive:")) {
            uri = uri.substring("vertx-reactive:".length());
        }
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        // names the connection in pg_stat_activity, for operators (and the tests that cut it)
        options.addProperty("application_name", APPLICATION_NAME);
        return options;
    }

    void start(@Observes StartupEvent event) {
        connect();
        pingTimer = vertx.setPeriodic(Math.max(1000, settings.pingInterval().toMillis()), id -> ping());
    }

    void stop(@Observes ShutdownEvent event) {
        PgConnection current;
        synchronized (lock) {
            stopped = true;
            current = connection;
            connection = null;
        }
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        if (current != null) {
            current.closeAndForget();
        }
    }

    /**
     * Calls {@code payloadHandler} with the payload of every notification on {@code channel} (a lower-case
     * identifier), from now on. Handlers run on an event loop and must return quickly.
     */
    public void subscribe(String channel, Consumer<String> payloadHandler) {
        Publish.checkChannel(channel);
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(payloadHandler);
        PgConnection current = current();
        if (current != null) {
            // LISTEN is idempotent: a channel already listened to costs one round trip
            listen(current, channel).subscribe().with(ok -> {}, failure -> dropped(current, failure));
        }
    }

    /** Runs {@code callback} each time a lost connection is back and listening on every channel again. */
    public void onReconnect(Runnable callback) {
        reconnectHandlers.add(callback);
    }

    /** Whether the listener connection is up now. */
    public boolean listening() {
        return current() != null;
    }

    private PgConnection current() {
        synchronized (lock) {
            return connection;
        }
    }

    private void connect() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
        }
        PgConnection.connect(vertx, options).subscribe().with(this::connected, this::connectFailed);
    }

    private void connected(PgConnection c) {
        synchronized (lock) {
            if (stopped) {
                c.closeAndForget();
                return;
            }
            connection = c;
        }
        c.notificationHandler(n -> dispatch(n.getChannel(), n.getPayload()));
        c.closeHandler(() -> dropped(c, null));
        c.exceptionHandler(failure -> dropped(c, failure));
        Multi.createFrom()
                .iterable(List.copyOf(handlers.keySet()))
                .onItem()
                .transformToUniAndConcatenate(channel -> listen(c, channel))
                .collect()
                .last()
                .subscribe()
                .with(ok -> listening(c), failure -> dropped(c, failure));
    }

    private void listening(PgConnection c) {
        boolean reconnected;
        int attempts;
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            reconnected = everConnected;
            attempts = failedAttempts;
            everConnected = true;
            failedAttempts = 0;
        }
        if (reconnected || attempts > 0) {
            LogId.NOTIFY_RECONNECTED.log(LOG, attempts + 1, String.join(",", handlers.keySet()));
            for (Runnable callback : reconnectHandlers) {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    LogId.NOTIFY_HANDLER_FAILED.log(
                            LOG, "(reconnect)", e.getClass().getSimpleName());
                }
            }
        }
    }

    private Uni<Void> listen(PgConnection c, String channel) {
        return c.query("LISTEN " + Publish.checkChannel(channel)).execute().replaceWithVoid();
    }

    private void dispatch(String channel, String payload) {
        List<Consumer<String>> list = handlers.get(channel);
        if (list == null) {
            return;
        }
        for (Consumer<String> handler : list) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LogId.NOTIFY_HANDLER_FAILED.log(LOG, channel, e.getClass().getSimpleName());
            }
        }
    }

    /** The connection {@code c} is gone (closed, failed, or its ping failed): replace it, once. */
    private void dropped(PgConnection c, Throwable failure) {
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            connection = null;
            if (stopped) {
                return;
            }
        }
        LogId.NOTIFY_CONNECTION_LOST.log(
                LOG, failure == null ? "closed" : failure.getClass().getSimpleName());
        c.closeAndForget();
        vertx.setTimer(settings.reconnectMin().toMillis(), id -> connect());
    }

    private void connectFailed(Throwable failure) {
        int attempt;
        synchronized (lock) {
            attempt = ++failedAttempts;
        }
        long delay = backoff(attempt);
        if (attempt == 1 || attempt % 10 == 0) {
            LogId.NOTIFY_CONNECT_FAILED.log(LOG, failure.getClass().getSimpleName(), attempt, delay);
        }
        vertx.setTimer(delay, id -> connect());
    }

    long backoff(int attempt) {
        long min = Math.max(10, settings.reconnectMin().toMillis());
        long max = Math.max(min, settings.reconnectMax().toMillis());
        long delay = min << Math.min(attempt, 20);
        return Math.min(max, delay);
    }

    private void ping() {
        PgConnection c = current();
        if (c == null) {
            return;
        }
        c.query("select 1")
                .execute()
                .ifNoItem()
                .after(PING_TIMEOUT)
                .fail()
                .subscribe()
                .with(ok -> {}, failure -> dropped(c, failure));
    }
}
