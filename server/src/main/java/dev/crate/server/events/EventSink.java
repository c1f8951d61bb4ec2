package dev.crate.server.events;

/** Where a stream's items go (an SSE response, a gRPC call). Called from any thread; must not block. */
public interface EventSink {
    void send(StreamItem item);

    /** Ends the response; the stream is already unregistered. */
    void close();
}
