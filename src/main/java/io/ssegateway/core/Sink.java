package io.ssegateway.core;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The connection end of a {@link Subscription}, implemented by the transport.
 *
 * <p>Threads: every method except {@link #executor()} is called on that executor, which runs one
 * task at a time (a Netty event loop in the server). None of them may block.
 */
public interface Sink {
    /** A backlog (a replay, the live events held during it) leaves in slices of about this many bytes. */
    int SLICE_BYTES = 32 * 1024;

    /** The single thread on which this sink is written; the subscription's state lives there. */
    Executor executor();

    /** Queues the event's frame for writing; {@link #flush()} sends what was queued. */
    void send(Event event);

    void flush();

    /**
     * Queues the frames of these events, in order, exactly as {@link #send} would one by one. They
     * are a run of a replay, written unchanged, that other streams resuming from the same place
     * write too: a transport may write one shared copy of their bytes instead of copying them
     * for each stream. The list is the caller's again once this returns.
     */
    default void sendRun(List<Event> run) {
        for (Event e : run) {
            send(e);
        }
    }

    /**
     * Sends what was queued now, and runs {@code next} on the executor once the client has
     * taken it, so a large backlog can be written a slice at a time. {@code next} is a task of
     * its own, queued behind what the executor already has, never run inside this call or the
     * write: so the executor's other work gets its turn between two slices. Never runs
     * {@code next} after the sink closed. Transports without that signal run it right after the
     * flush.
     */
    default void flushThen(Runnable next) {
        flush();
        executor().execute(next);
    }

    /**
     * Bytes the next slice of a backlog may carry: {@link #SLICE_BYTES} unless the transport
     * runs short of memory for what it queues, when it asks for smaller ones.
     */
    default int sliceBytes() {
        return SLICE_BYTES;
    }

    /** Ends the stream; the client will reconnect and resume. */
    void close(String reason);
}
