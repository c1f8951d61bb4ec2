package dev.crate.server.events;

/** Where a stream's items go (an SSE response, a gRPC call). Called from any thread; must not block. */
public interface EventSink {
    void send(StreamItem item);

    /** Ends the response; the stream is already unregistered. */
    void close();

    /**
     * Ends the response because the caller lost access ({@code why}: the refusal a new stream would get);
     * the stream is already unregistered. By default the same as {@link #close()} (an SSE client learns the
     * reason when it reconnects).
     */
    default void deny(dev.crate.server.domain.CrateException why) {
        close();
    }

    /**
     * How many items were handed to {@link #send} and are not yet written to the connection (a client that
     * stops reading makes this grow); 0 where the transport does not say.
     */
    default int queued() {
        return 0;
    }

    /**
     * Ends the response at once, dropping what is still queued (the client stopped reading); the stream is
     * already unregistered. By default the same as {@link #close()}.
     */
    default void abort() {
        close();
    }
}
