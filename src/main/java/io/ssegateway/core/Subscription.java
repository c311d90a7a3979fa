package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One client stream's view of the hub: what it listens to ({@link Interest}) and where it has got to.
 *
 * <p>The replay-to-live handoff lives here. A subscription is registered for live events
 * <em>before</em> its history is read, and holds live events while the replay is under way;
 * when the replay arrives it writes the replayed events, then the held ones, skipping any id
 * it has already written. Since ids are totally ordered, nothing published around the moment
 * of the switch is lost or repeated. The same handoff catches a subscription up after the
 * broker reports a live-delivery interruption ({@link #resync()}).
 *
 * <p>Threads: all state below, the {@code mark} included, is owned by the sink's executor;
 * {@link #wantsMatched} reads only immutable fields.
 */
public final class Subscription {
    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());

    private enum State { REPLAYING, LIVE, CLOSED }

    private final Hub hub;
    private final Interest interest;
    private final Sink sink;
    private final EventId startAfter;
    private final Delivery delivery;

    private State state;
    private ArrayDeque<Event> held;
    /** Why the replay under way was asked for; read only while {@code REPLAYING}. */
    private Cause replayCause;
    private boolean resyncPending;

    /** Executor only: the number of the last event this subscription was matched for. */
    long mark = -1;

    Subscription(Hub hub, List<Namespace> topics, Audience audience, Sink sink, EventId startAfter) {
        this.hub = hub;
        this.interest = new Interest(topics, audience);
        this.sink = sink;
        this.delivery = new Delivery(interest, sink);
        this.startAfter = startAfter;
        this.state = State.LIVE;
    }

    public List<Namespace> topics() {
        return interest.topics();
    }

    /** What this subscription listens to and may see. */
    public Interest interest() {
        return interest;
    }

    public Sink sink() {
        return sink;
    }

    /** The id of the last event written to this client, or null. Safe to read from any thread. */
    public EventId lastDelivered() {
        return delivery.lastDelivered();
    }

    /** How this stream is written: every write goes through it. Executor only. */
    Delivery delivery() {
        return delivery;
    }

    /** {@link Interest#wantsMatched}, for the index that found this subscription under a topic. */
    boolean wantsMatched(Event event) {
        return interest.wantsMatched(event);
    }

    /** Starts from history as the client asked, or live at once. Executor only. */
    void begin(StartPoint start, int replayLimit) {
        if (start.lastEventId() != null) {
            beginResume(start.lastEventId(), replayLimit);
        } else if (start.rewind() > 0) {
            int n = Math.min(start.rewind(), replayLimit);
            requestReplay(Cause.REWIND, false, null, () -> hub.broker().replay(interest.topics(), null, n), replayLimit);
        } else if (start.sinceMillis() >= 0) {
            requestReplay(Cause.SINCE, false, null,
                    () -> hub.broker().replaySince(interest.topics(), start.sinceMillis(), replayLimit), replayLimit);
        }
    }

    /** Starts a resume after the id the client sent: replay first, then live. Executor only. */
    void beginResume(String lastEventId, int replayLimit) {
        EventId after = EventId.parseOrNull(lastEventId);
        delivery.resumeAfter(after);
        boolean malformed = after == null;
        requestReplay(Cause.RESUME, malformed, lastEventId,
                () -> hub.broker().replay(interest.topics(), malformed ? null : after, replayLimit), replayLimit);
    }

    /** Why history is read; a rewind asked for the newest N, so more retained is no gap. */
    enum Cause { RESUME, CATCH_UP, REWIND, SINCE }

    /** {@code gap}: send {@code history-gap} whatever the replay says (a malformed id). */
    private void requestReplay(Cause cause, boolean gap, String given, Supplier<CompletableFuture<Replay>> read,
                               int replayLimit) {
        state = State.REPLAYING;
        replayCause = cause;
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
            replayFailed(cause, why.toString(), "history unavailable");
            return;
        }
        boolean gap = malformed || (cause != Cause.REWIND && replay.gap());
        if (gap) {
            sink.send(hub.gapEvent(interest.topics().get(0), given, replay.oldestRetained()));
        }
        new ReplayWriter(this, replay.events(), gap, cause, replayLimit).run();
    }

    /**
     * Ends a stream whose replay cannot be finished, and says so: a storm of these once closed
     * every stream with nothing in any log. The stream's last frame is a {@code retry:} with a
     * random delay, and the client resumes from its last id: closing loses nothing.
     */
    private void replayFailed(Cause cause, String why, String closeReason) {
        LOG.log(Level.WARNING, "event=replay-failed cause=" + cause.name().toLowerCase(Locale.ROOT)
                + " topics=" + interest.topics().get(0) + " reason=\"" + why + "\"");
        hub.metrics().replayFailed();
        close(closeReason);
    }

    /** The {@link ReplayWriter} wrote the last slice: count it, then the held live events. */
    void replayed(Cause cause, boolean gap, int replayed, int replayLimit) {
        switch (cause) {
            case RESUME -> hub.metrics().resumed(gap, replayed);
            case CATCH_UP -> hub.metrics().caughtUp(replayed);
            default -> hub.metrics().rewound(gap, replayed);
        }
        goLive(replayLimit);
    }

    boolean isClosed() {
        return state == State.CLOSED;
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
        int slice = sink.sliceBytes();
        int bytes = 0;
        List<Event> run = new ArrayList<>();
        Event e;
        while ((e = held.poll()) != null) {
            if (delivery.deliver(e, run)) {
                bytes += e.frame().length;
            }
            if (bytes >= slice) {
                break;
            }
        }
        delivery.sendRun(run);
        if (bytes > 0) {
            // The last slice too: the transport counts it as taken when it is; events that
            // arrive meanwhile are held, and written by the next turn of this.
            sink.flushThen(() -> goLive(replayLimit));
            return;
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
            return delivery.write(event);
        }
        if (state == State.REPLAYING) {
            if (held.size() >= hub.holdLimit()) {
                replayFailed(replayCause, "more than " + hub.holdLimit() + " live events arrived during the replay",
                        "fell behind while replaying history");
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
        EventId last = delivery.lastDelivered();
        EventId after = last != null ? last : startAfter;
        requestReplay(Cause.CATCH_UP, false, last != null ? last.toString() : null,
                () -> hub.broker().replay(interest.topics(), after, replayLimit), replayLimit);
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
        LOG.log(System.Logger.Level.WARNING, "event=delivery-failed topics=" + interest.topics() + " error=" + error);
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
