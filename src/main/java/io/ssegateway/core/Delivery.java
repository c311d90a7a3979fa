package io.ssegateway.core;

import java.util.List;

/**
 * What one stream has been written, and the one rule for writing it more: an event it wants,
 * at most once, in id order, under the id the stream shows for it. The live path, the held
 * events of a handoff and the {@link ReplayWriter} all write through here, so a replay that
 * overlaps live delivery cannot repeat an event: the handoff in {@link Subscription} decides
 * when events are written, this decides which are skipped as written already and under which
 * id the rest are shown (over shards, {@link EventId#seenAfter}).
 *
 * <p>Threads: everything is done on the sink's executor; {@link #lastDelivered} alone may be
 * read from any thread.
 */
final class Delivery {
    private final Interest interest;
    private final Sink sink;
    private volatile EventId lastDelivered;

    Delivery(Interest interest, Sink sink) {
        this.interest = interest;
        this.sink = sink;
    }

    /** The id of the last event written to this client, or null. Safe to read from any thread. */
    EventId lastDelivered() {
        return lastDelivered;
    }

    /** The client says it holds {@code after} (null: nothing known): write only what follows it. */
    void resumeAfter(EventId after) {
        lastDelivered = after;
    }

    /**
     * {@link #deliver} for a replay: an event this stream shows under its own id joins {@code run},
     * which the caller sends with {@link #sendRun}; any other is written at once, after the run
     * gathered so far, so the order is kept. Returns true when the event is delivered.
     */
    boolean deliver(Event event, List<Event> run) {
        if (!interest.wants(event)) {
            return false;
        }
        EventId id = event.id();
        EventId last = lastDelivered;
        if (id != null && id.isCoveredBy(last)) {
            return false;
        }
        if (id == null || id.seenAfter(last) != id) {
            sendRun(run);
            return write(event);
        }
        run.add(event);
        lastDelivered = id;
        return true;
    }

    /** Queues the events {@link #deliver(Event, List)} gathered, and empties the list. */
    void sendRun(List<Event> run) {
        if (!run.isEmpty()) {
            sink.sendRun(run);
            run.clear();
        }
    }

    /** Writes an event this subscription wants, unless it was written already. */
    boolean write(Event event) {
        EventId id = event.id();
        EventId last = lastDelivered;
        if (id != null && id.isCoveredBy(last)) {
            return false;
        }
        // Over shards, the id shown keeps the stream's own further positions: a frame of its own
        // only in that case, the shared one otherwise.
        EventId shown = id == null ? null : id.seenAfter(last);
        sink.send(shown == id ? event : event.withId(shown));
        if (shown != null) {
            lastDelivered = shown;
        }
        return true;
    }
}
