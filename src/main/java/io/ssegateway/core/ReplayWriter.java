package io.ssegateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a replay a slice at a time: each slice waits until the client has taken the one
 * before. Otherwise a storm of resuming clients would each hold their whole replay in server
 * memory at once (5,000 clients 1,000 events behind ran the server out of direct memory).
 * The last slice too is sent by {@link Sink#flushThen}, so the transport counts it as taken
 * when it is, not when it was handed over. Live events are held meanwhile by the
 * {@link Subscription}, as during the read. The events of a slice that the stream shows
 * unchanged go to the sink as one run ({@link Sink#sendRun}): in a storm thousands of streams
 * resume from the same id, and the transport can write one copy of those bytes to all of them.
 * Executor only.
 */
final class ReplayWriter implements Runnable {
    private final Subscription subscription;
    private final Delivery delivery;
    private final List<Event> events;
    private final boolean gap;
    private final Subscription.Cause cause;
    private final int replayLimit;
    private int next;
    private int replayed;

    ReplayWriter(Subscription subscription, List<Event> events, boolean gap, Subscription.Cause cause, int replayLimit) {
        this.subscription = subscription;
        this.delivery = subscription.delivery();
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
        int slice = subscription.sink().sliceBytes();
        int bytes = 0;
        List<Event> run = new ArrayList<>();
        while (next < events.size()) {
            Event e = events.get(next++);
            if (delivery.deliver(e, run)) {
                replayed++;
                bytes += e.frame().length;
            }
            if (bytes >= slice && next < events.size()) {
                delivery.sendRun(run);
                subscription.sink().flushThen(this);
                return;
            }
        }
        delivery.sendRun(run);
        if (bytes > 0) {
            subscription.sink().flushThen(() -> subscription.replayed(cause, gap, replayed, replayLimit));
        } else {
            subscription.replayed(cause, gap, replayed, replayLimit);
        }
    }
}
