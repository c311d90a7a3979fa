package io.ssegateway.core;

import java.util.List;

/**
 * Writes a replay a slice at a time: each slice waits until the client has taken the one
 * before. Otherwise a storm of resuming clients would each hold their whole replay in server
 * memory at once (5,000 clients 1,000 events behind ran the server out of direct memory).
 * Live events are held meanwhile by the {@link Subscription}, as during the read. Executor only.
 */
final class ReplayWriter implements Runnable {
    /** A replay leaves in slices of about this many bytes, each after the client took the last. */
    static final int REPLAY_SLICE_BYTES = 32 * 1024;

    private final Subscription subscription;
    private final List<Event> events;
    private final boolean gap;
    private final Subscription.Cause cause;
    private final int replayLimit;
    private int next;
    private int replayed;

    ReplayWriter(Subscription subscription, List<Event> events, boolean gap, Subscription.Cause cause, int replayLimit) {
        this.subscription = subscription;
        this.events = events;
        this.gap = gap;
        this.cause = cause;
        this.replayLimit = replayLimit;
    }

    @Override
    public void run() {
        if (subscription.isClosed()) {
            return;
        }
        int bytes = 0;
        while (next < events.size()) {
            Event e = events.get(next++);
            if (subscription.deliver(e)) {
                replayed++;
                bytes += e.frame().length;
            }
            if (bytes >= REPLAY_SLICE_BYTES && next < events.size()) {
                subscription.sink().flushThen(this);
                return;
            }
        }
        subscription.replayed(cause, gap, replayed, replayLimit);
    }
}
