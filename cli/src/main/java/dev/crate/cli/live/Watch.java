package dev.crate.cli.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.crate.cli.client.ApiException;
import dev.crate.cli.client.Json;
import dev.crate.protocol.wire.SecretChange;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Follows the event stream for as long as it runs: reconnects with exponential backoff (1 s doubling to 30 s,
 * with jitter, or what the server asks with {@code retry:} or {@code Retry-After}) and resumes with
 * {@code Last-Event-ID}, so a short outage loses nothing. Trouble is reported, never fatal, once the first
 * connection was attempted: a watcher that stops would leave a client holding stale values without saying so.
 */
public final class Watch {
    /** Where connections come from (the HTTP stream; a test may give its own). */
    public interface Source {
        Connection open(Optional<String> lastEventId) throws IOException;
    }

    /** One open stream, read line by line; {@code readLine} answers null at its end. */
    public interface Connection extends AutoCloseable {
        String readLine() throws IOException;

        @Override
        void close();
    }

    /** What the watch tells its owner; called on the watch's own thread. */
    public interface Listener {
        void change(SecretChange event);

        /** The server lost track ({@code event: reset}) or a reconnect could not resume: re-fetch and compare. */
        void resync();

        /** Something went wrong; the watch goes on. {@code message} names no value and no token. */
        void trouble(String message);

        /** The stream works again after trouble. */
        void recovered();
    }

    /** A refusal that says "not now" (429, 503): wait, then retry. */
    public static final class RetryLater extends IOException {
        private final long afterMillis;

        public RetryLater(String message, long afterMillis) {
            super(message, null);
            this.afterMillis = afterMillis;
        }

        public long afterMillis() {
            return afterMillis;
        }
    }

    private static final long FIRST_DELAY_MS = 1000;
    private static final long MAX_DELAY_MS = 30_000;

    private final Source source;
    private final Listener listener;
    private final SseParser parser = new SseParser();
    private volatile boolean stopped;
    private volatile Connection current;
    private Thread thread;
    private boolean troubled;
    private boolean heard;
    private String lastReported;

    public Watch(Source source, Listener listener) {
        this.source = source;
        this.listener = listener;
    }

    /**
     * Opens the first connection on the caller's thread, then follows the stream on a daemon thread. A refusal
     * the caller must hear about (401, 403, 404, 400: a 4xx but 429) is thrown; anything else (unreachable, 429, 5xx) is
     * reported as trouble and retried in the background.
     */
    public void start() {
        Connection first = null;
        try {
            first = source.open(Optional.empty());
        } catch (ApiException refused) {
            if (refused.status() < 500) {
                throw refused;
            }
            report(refused.getMessage());
        } catch (IOException | RuntimeException e) {
            report(describe(e));
        }
        Connection opened = first;
        thread = new Thread(() -> follow(opened), "crate-watch");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        Connection connection = current;
        if (connection != null) {
            connection.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void follow(Connection first) {
        long delay = FIRST_DELAY_MS;
        Connection connection = first;
        while (!stopped) {
            if (connection == null) {
                Optional<String> resume = parser.lastId();
                try {
                    connection = source.open(resume);
                } catch (RetryLater later) {
                    report(later.getMessage());
                    delay = sleep(Math.max(later.afterMillis(), delay));
                    continue;
                } catch (IOException | RuntimeException e) {
                    report(describe(e));
                    delay = sleep(delay);
                    continue;
                }
                if (resume.isEmpty()) {
                    // nothing to resume from: what changed while no stream was open is unknown
                    listener.resync();
                }
            }
            current = connection;
            if (troubled) {
                troubled = false;
                lastReported = null;
                listener.recovered();
            }
            heard = false;
            Optional<String> ended = read(connection);
            connection.close();
            current = null;
            connection = null;
            if (stopped) {
                return;
            }
            if (heard) {
                delay = parser.retryMillis().orElse(FIRST_DELAY_MS);
            }
            ended.ifPresent(this::report);
            delay = sleep(delay);
        }
    }

    /** Reads until the stream ends or fails; answers why it ended, or empty when it was stopped. */
    private Optional<String> read(Connection connection) {
        try {
            String line;
            while (!stopped && (line = connection.readLine()) != null) {
                heard = true;
                parser.line(line).ifPresent(this::dispatch);
            }
            return Optional.of("the event stream closed");
        } catch (IOException | RuntimeException e) {
            return Optional.of(describe(e));
        }
    }

    private void dispatch(SseParser.Event event) {
        switch (event.type()) {
            case "change" -> {
                try {
                    listener.change(Json.MAPPER.readValue(event.data(), SecretChange.class));
                } catch (JsonProcessingException malformed) {
                    listener.resync();
                }
            }
            case "reset" -> listener.resync();
            default -> {
                // other event types are for other clients
            }
        }
    }

    /** Reports trouble once per distinct message, so a long outage is one line, not one per retry. */
    private void report(String message) {
        if (!stopped && !message.equals(lastReported)) {
            lastReported = message;
            troubled = true;
            listener.trouble(message);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return "the event stream went silent (no heartbeat)";
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot reach the server (connection refused)";
        }
        if (e instanceof dev.crate.cli.client.CliException) {
            return e.getMessage();
        }
        return "the event stream failed (" + e.getClass().getSimpleName() + ")";
    }

    /** Sleeps about {@code delay} (with ±20 % jitter, so many clients do not reconnect in step); answers the next. */
    private long sleep(long delay) {
        long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return Math.min(MAX_DELAY_MS, delay * 2);
    }
}
