package dev.crate.server.api.http;

import dev.crate.protocol.Limits;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The 256 KiB body limit for bodies that do not announce their length (chunked). {@link AnnouncedBodyLimit}
 * refuses a {@code Content-Length} over the limit before anything is read; without one, the limit can
 * only be applied while the body is read. Quarkus does that too ({@code quarkus.http.limits.max-body-size}),
 * but its answer is an empty 413 written from inside the stream, before any mapper can speak. So the
 * REST layer raises Quarkus's ceiling to {@link #BACKSTOP} for such requests, and this interceptor counts
 * what the entity reader consumes: one byte over the limit stops the reading and becomes the
 * {@code body_too_large} problem, after which the connection is closed instead of reading the rest
 * (after a short, bounded lingering read: see {@link #closeAfterAnswer}).
 */
@Provider
public class BodyLimit implements ReaderInterceptor {
    /**
     * Quarkus's own ceiling for bodies without {@code Content-Length}, still enforced (with its empty
     * 413) by the stream the REST layer reads. Above the limit, so that the count here always answers
     * first; it only matters for a body something reads without this interceptor.
     */
    static final long BACKSTOP = 4L * Limits.MAX_BODY_BYTES;
    /** The routing-context key Quarkus's upload-limit handler puts its limit under, for requests without Content-Length. */
    static final String QUARKUS_LIMIT_KEY = "io.quarkus.max-request-size";

    public static final String DETAIL = "request bodies are limited to 256 KiB";
    /** How much of a refused body is read and discarded after the answer, at most, before the connection is closed. */
    static final long LINGER_BYTES = 16L * Limits.MAX_BODY_BYTES;

    static final Duration LINGER = Duration.ofSeconds(2);

    private final CurrentVertxRequest request;

    BodyLimit(CurrentVertxRequest request) {
        this.request = request;
    }

    /** Thrown (as an IOException, which JSON readers pass on unwrapped) once the body runs past the limit. */
    public static final class TooLarge extends IOException {
        TooLarge() {
            super(DETAIL, null);
        }
    }

    /**
     * Runs in the REST layer, after Quarkus's upload-limit route (order -2) put its limit on a request
     * without {@code Content-Length}, and before the body is read (the stream takes the value when made).
     */
    @ServerRequestFilter(preMatching = true)
    public void raiseQuarkusCeiling(RoutingContext context) {
        if (context.get(QUARKUS_LIMIT_KEY) != null) {
            context.put(QUARKUS_LIMIT_KEY, BACKSTOP);
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        InputStream in = context.getInputStream();
        if (in instanceof ByteArrayInputStream buffered) {
            // Quarkus REST read the whole (small) body into memory before handing it over.
            if (buffered.available() > Limits.MAX_BODY_BYTES) {
                throw new TooLarge();
            }
            return context.proceed();
        }
        Counted counted = new Counted(in);
        context.setInputStream(counted);
        Object entity = context.proceed();
        // A reader stops at the end of the JSON value; whatever follows it counts towards the limit too.
        counted.drain();
        in.close();
        return entity;
    }

    /** The body ran past the limit and is left unread: once the answer is out, the client must stop sending. */
    private void closeAfterAnswer() {
        RoutingContext context = request.getCurrent();
        if (context != null) {
            closeAfterAnswer(context);
        }
    }

    /**
     * Ends the exchange once the answer has been written, without reading the rest of the body. HTTP/2:
     * only this request's stream is reset (RST_STREAM NO_ERROR, RFC 9113 §8.1; the {@code Connection}
     * header is forbidden there) and the connection's other streams go on. HTTP/1.x: {@code Connection:
     * close}, then a lingering close (the header alone closes nothing in Vert.x).
     */
    static void closeAfterAnswer(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == HttpVersion.HTTP_2) {
            context.addEndHandler(ended -> context.response().reset(0));
        } else {
            context.response().putHeader("Connection", "close");
            context.addEndHandler(ended -> lingerThenClose(context.vertx(), request));
        }
    }

    /**
     * Many clients write their whole body before they read anything; closing at once, with their bytes
     * still unread, resets the connection and they never see the answer ("broken pipe"). So, like a web
     * server's lingering close, the rest of the body is read and discarded, but only up to
     * {@link #LINGER_BYTES} or {@link #LINGER} (whichever comes first), then the connection is closed.
     */
    private static void lingerThenClose(Vertx vertx, HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        AtomicLong discarded = new AtomicLong();
        long timer = vertx.setTimer(LINGER.toMillis(), id -> connection.close());
        Runnable close = () -> {
            vertx.cancelTimer(timer);
            connection.close();
        };
        try {
            request.handler(data -> {
                if (discarded.addAndGet(data.length()) > LINGER_BYTES) {
                    close.run();
                }
            });
            request.endHandler(end -> close.run());
            request.exceptionHandler(failure -> close.run());
            request.resume();
        } catch (IllegalStateException alreadyRead) {
            close.run();
        }
    }

    /** Counts the bytes the reader takes. Closing it does not drain the request (the stream below would, unbounded). */
    private final class Counted extends InputStream {
        private final InputStream in;
        private long count;
        private boolean over;

        Counted(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (over) {
                throw new TooLarge();
            }
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (over) {
                throw new TooLarge();
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() {}

        void drain() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // counted, discarded
            }
        }

        private void counted(int n) throws TooLarge {
            count += n;
            if (count > Limits.MAX_BODY_BYTES) {
                if (!over) {
                    over = true;
                    closeAfterAnswer();
                }
                throw new TooLarge();
            }
        }
    }
}
