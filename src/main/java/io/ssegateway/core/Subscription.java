package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One client stream's view of the hub: its topics, who it is, and where it has got to.
 *
 * <p>The replay-to-live handoff lives here. A subscription is registered for live events
 * <em>before</em> its history is read, and holds live events while the replay is under way;
 * when the replay arrives it writes the replayed events, then the held ones, skipping any id
 * it has already written. Since ids are totally ordered, nothing published around the moment
 * of the switch is lost or repeated. The same handoff catches a subscription up after the
 * broker reports a live-delivery interruption ({@link #resync()}).
 *
 * <p>Threads: all state below, the {@code mark} included, is owned by the sink's executor;
 * {@link #wants} reads only immutable fields.
 */
public final class Subscription {
    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());

    private enum State { REPLAYING, LIVE, CLOSED }

    /** A replay leaves in slices of about this many bytes, each after the client took the last. */
    static final int REPLAY_SLICE_BYTES = 32 * 1024;

    private final Hub hub;
    private final List<Namespace> topics;
    private final Audience audience;
    private final Sink sink;
    private final EventId startAfter;

    private State state;
    private volatile EventId lastDelivered;
    private ArrayDeque<Event> held;
    private boolean resyncPending;

    /** Executor only: the number of the last event this subscription was matched for. */
    long mark = -1;

    Subscription(Hub hub, List<Namespace> topics, Audience audience, Sink sink, EventId startAfter) {
        this.hub = hub;
        this.topics = List.copyOf(topics);
        this.audience = audience;
        this.sink = sink;
        this.startAfter = startAfter;
        this.state = State.LIVE;
    }

    public List<Namespace> topics() {
        return topics;
    }

    public Audience audience() {
        return audience;
    }

    public Sink sink() {
        return sink;
    }

    /** The id of the last event written to this client, or null. Safe to read from any thread. */
    public EventId lastDelivered() {
        return lastDelivered;
    }

    /**
     * True when this subscriber may receive the event: one of its namespaces is under one of
     * the topics, and, for a private event, that same namespace is granted by the token; for an
     * event addressed to a user, the token's subject is that user.
     */
    public boolean wants(Event event) {
        String user = event.user();
        if (user != null && !user.equals(audience.subject())) {
            return false;
        }
        for (Namespace n : event.namespaces()) {
            if (covered(n) && (!event.isPrivate() || audience.grants(n))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #wants} for a subscription the index found under one of its topics while walking
     * one of the event's namespaces: that namespace is covered, so an event for everyone is
     * wanted without looking further. Private and addressed events get the full check.
     */
    boolean wantsMatched(Event event) {
        return (!event.isPrivate() && event.user() == null) || wants(event);
    }

    private boolean covered(Namespace n) {
        for (Namespace t : topics) {
            if (t.covers(n)) {
                return true;
            }
        }
        return false;
    }

    /** Starts from history as the client asked, or live at once. Executor only. */
    void begin(StartPoint start, int replayLimit) {
        if (start.lastEventId() != null) {
            beginResume(start.lastEventId(), replayLimit);
        } else if (start.rewind() > 0) {
            int n = Math.min(start.rewind(), replayLimit);
            requestReplay(Cause.REWIND, false, null, () -> hub.broker().replay(topics, null, n), replayLimit);
        } else if (start.sinceMillis() >= 0) {
            requestReplay(Cause.SINCE, false, null,
                    () -> hub.broker().replaySince(topics, start.sinceMillis(), replayLimit), replayLimit);
        }
    }

    /** Starts a resume after the id the client sent: replay first, then live. Executor only. */
    void beginResume(String lastEventId, int replayLimit) {
        EventId after = EventId.parseOrNull(lastEventId);
        lastDelivered = after;
        boolean malformed = after == null;
        requestReplay(Cause.RESUME, malformed, lastEventId,
                () -> hub.broker().replay(topics, malformed ? null : after, replayLimit), replayLimit);
    }

    /** Why history is read; a rewind asked for the newest N, so more retained is no gap. */
    private enum Cause { RESUME, CATCH_UP, REWIND, SINCE }

    /** {@code gap}: send {@code history-gap} whatever the replay says (a malformed id). */
    private void requestReplay(Cause cause, boolean gap, String given, Supplier<CompletableFuture<Replay>> read,
                               int replayLimit) {
        state = State.REPLAYING;
        held = new ArrayDeque<>();
        read.get().whenComplete((replay, error) ->
                sink.executor().execute(() -> finishReplay(replay, error, cause, gap, given, replayLimit)));
    }

    private void finishReplay(Replay replay, Throwable error, Cause cause, boolean malformed, String given,
                              int replayLimit) {
        if (state == State.CLOSED) {
            return;
        }
        if (error != null) {
            Throwable why = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            // Said out loud: a storm of these once closed every stream with nothing in any log.
            LOG.log(Level.WARNING, "event=replay-failed cause=" + cause.name().toLowerCase(Locale.ROOT)
                    + " topics=" + topics.get(0) + " reason=\"" + why + "\"");
            hub.observer().replayFailed();
            // The client resumes from its last id when it reconnects: closing loses nothing.
            close("history unavailable");
            return;
        }
        boolean gap = malformed || (cause != Cause.REWIND && replay.gap());
        if (gap) {
            sink.send(hub.gapEvent(topics.get(0), given, replay.oldestRetained()));
        }
        new ReplayWriter(replay.events(), gap, cause, replayLimit).run();
    }

    /**
     * Writes a replay a slice at a time: each slice waits until the client has taken the one
     * before. Otherwise a storm of resuming clients would each hold their whole replay in server
     * memory at once (5,000 clients 1,000 events behind ran the server out of direct memory).
     * Live events are held meanwhile, as during the read. Executor only.
     */
    private final class ReplayWriter implements Runnable {
        private final List<Event> events;
        private final boolean gap;
        private final Cause cause;
        private final int replayLimit;
        private int next;
        private int replayed;

        ReplayWriter(List<Event> events, boolean gap, Cause cause, int replayLimit) {
            this.events = events;
            this.gap = gap;
            this.cause = cause;
            this.replayLimit = replayLimit;
        }

        @Override
        public void run() {
            if (state == State.CLOSED) {
                return;
            }
            int bytes = 0;
            while (next < events.size()) {
                Event e = events.get(next++);
                if (deliver(e)) {
                    replayed++;
                    bytes += e.frame().length;
                }
                if (bytes >= REPLAY_SLICE_BYTES && next < events.size()) {
                    sink.flushThen(this);
                    return;
                }
            }
            switch (cause) {
                case RESUME -> hub.observer().resumed(gap, replayed);
                case CATCH_UP -> hub.observer().caughtUp(replayed);
                default -> hub.observer().rewound(gap, replayed);
            }
            goLive(replayLimit);
        }
    }

    /**
     * Writes the live events held during the replay, a slice at a time as the replay was, then
     * goes live. Held ones can be thousands: after a pub/sub reconnect during a burst, written in
     * one go they passed every subscriber's outbound bound and all were cut as slow. Events that
     * arrive meanwhile join the held ones, within the hold limit. Executor only.
     */
    private void goLive(int replayLimit) {
        if (state == State.CLOSED) {
            return;
        }
        if (resyncPending) {
            resyncPending = false;
            ArrayDeque<Event> keep = held;
            catchUp(replayLimit);
            held = keep;
            sink.flush();
            return;
        }
        int bytes = 0;
        Event e;
        while ((e = held.poll()) != null) {
            if (deliver(e)) {
                bytes += e.frame().length;
            }
            if (bytes >= REPLAY_SLICE_BYTES && !held.isEmpty()) {
                sink.flushThen(() -> goLive(replayLimit));
                return;
            }
        }
        held = null;
        state = State.LIVE;
        sink.flush();
    }

    /**
     * A live event the index matched ({@link #wantsMatched}), on the executor. Returns true when
     * something was written.
     */
    boolean onLive(Event event) {
        if (state == State.LIVE) {
            return write(event);
        }
        if (state == State.REPLAYING) {
            if (held.size() >= hub.holdLimit()) {
                close("fell behind while replaying history");
            } else {
                held.add(event);
            }
        }
        return false;
    }

    /** Live delivery was interrupted: catch up from history. Executor only. */
    void resync(int replayLimit) {
        if (state == State.LIVE) {
            catchUp(replayLimit);
        } else if (state == State.REPLAYING) {
            resyncPending = true;
        }
    }

    /**
     * Replays after the last event written, or after where the subscription started. A gap found
     * there names the id the client holds: the last one written to it (null when none was).
     */
    private void catchUp(int replayLimit) {
        EventId last = lastDelivered;
        EventId after = last != null ? last : startAfter;
        requestReplay(Cause.CATCH_UP, false, last != null ? last.toString() : null,
                () -> hub.broker().replay(topics, after, replayLimit), replayLimit);
    }

    private boolean deliver(Event event) {
        return wants(event) && write(event);
    }

    /** Writes an event this subscription wants, unless it was written already. */
    private boolean write(Event event) {
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

    /** Closes the stream and leaves the hub. Executor only. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        held = null;
        hub.unsubscribe(this);
        sink.close(reason);
    }

    /**
     * Writing a live event to this client failed. Its stream ends, so the client reconnects
     * and resumes after the last event it got: the event is not silently missing. Executor only.
     */
    void deliveryFailed(Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "event=delivery-failed topics=" + topics + " error=" + error);
        try {
            close("delivery failed");
        } catch (RuntimeException | OutOfMemoryError e) {
            // The transport could not even end the stream: leave the hub, the connection goes with it.
            disconnected();
        }
    }

    /** Called by the transport when the client went away. Executor only. */
    public void disconnected() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            held = null;
            hub.unsubscribe(this);
        }
    }
}
