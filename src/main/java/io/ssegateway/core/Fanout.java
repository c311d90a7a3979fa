package io.ssegateway.core;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The subscriptions of one executor (one event loop in the server) and their share of the
 * fan-out. The hub hands every live event to every fan-out; each matches it against its own
 * index on its own thread and writes to its own connections. So the dispatching thread does
 * no per-subscriber work, and matching runs on the threads that write.
 *
 * <p>Threads: {@link #deliver} and the index's subscription marks belong to the executor;
 * adding and removing subscriptions also happen there (see {@link Hub#subscribe}).
 */
final class Fanout implements Consumer<Subscription> {
    private final Executor executor;
    private final SubscriptionIndex index = new SubscriptionIndex();
    private long mark;
    private Event current;

    Fanout(Executor executor) {
        this.executor = executor;
    }

    Executor executor() {
        return executor;
    }

    SubscriptionIndex index() {
        return index;
    }

    /** On the executor: writes the event to each subscription that wants it. */
    void deliver(Event event) {
        current = event;
        try {
            index.match(event, ++mark, this);
        } finally {
            current = null;
        }
    }

    /**
     * One matched subscription; a method rather than a lambda so matching allocates nothing.
     * A failure to write to it ends its stream and never reaches the loop over the others: an
     * allocation failure thrown out of here once skipped every later subscriber of the event
     * loop, and healthy readers missed events without a gap or a close.
     */
    @Override
    public void accept(Subscription s) {
        try {
            if (s.onLive(current)) {
                s.sink().flush();
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            s.deliveryFailed(e);
        }
    }
}
