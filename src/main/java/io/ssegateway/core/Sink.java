package io.ssegateway.core;

import java.util.concurrent.Executor;

/**
 * The connection end of a {@link Subscription}, implemented by the transport.
 *
 * <p>Threads: every method except {@link #executor()} is called on that executor, which runs one
 * task at a time (a Netty event loop in the server). None of them may block.
 */
public interface Sink {

    /** The single thread on which this sink is written; the subscription's state lives there. */
    Executor executor();

    /** Queues the event's frame for writing; {@link #flush()} sends what was queued. */
    void send(Event event);

    void flush();

    /** Ends the stream; the client will reconnect and resume. */
    void close(String reason);
}
