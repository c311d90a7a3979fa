package io.ssegateway.redis;

import io.ssegateway.core.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Which stored events the {@link PubSubLink} hands on around a resync.
 *
 * <p>While live delivery is interrupted (a reconnect, a silent link, a sequence that went back)
 * stored events are dropped: a subscription that received one would count itself past the
 * events it missed. History has them, and the catch-up reads them, because its read is sent
 * after they arrived.
 *
 * <p>That holds only for events that arrived before the catch-ups were queued. The resync often
 * runs on the command connection's thread while messages keep arriving on the pub/sub
 * connection's: an event published after a catch-up read was sent, and arriving before the link
 * let stored events through again, was in neither the read nor the stream, and that stream
 * skipped it. So events that arrive while the catch-ups are being queued are kept, and handed on
 * right after them: a subscription that is catching up holds them and writes each unless its
 * replay already did.
 *
 * <p>Thread-safe: events are offered on the pub/sub thread, the resync runs on any.
 */
final class ResyncHandoff {
    private final AtomicBoolean needed = new AtomicBoolean();
    private final Object lock = new Object();
    /** Non-null while the catch-ups are being queued. Guarded by {@code lock}. */
    private List<Event> kept;

    /**
     * Live delivery was interrupted: stored events stop until the next {@link #resync}. Returns
     * whether they had stopped already.
     */
    boolean need() {
        return needed.getAndSet(true);
    }

    boolean needed() {
        return needed.get();
    }

    /** A stored event arrived: handed on now, kept until the catch-ups are queued, or dropped. */
    void offer(Event event, Consumer<Event> deliver) {
        if (needed.get()) {
            synchronized (lock) {
                if (kept != null) {
                    kept.add(event);
                    return;
                }
                if (needed.get()) {
                    return;
                }
            }
        }
        deliver.accept(event);
    }

    /**
     * Runs {@code queueCatchUps}, then hands on, in order and before any later event, what
     * arrived meanwhile; stored events flow again after that.
     */
    void resync(Runnable queueCatchUps, Consumer<Event> deliver) {
        synchronized (lock) {
            kept = new ArrayList<>();
        }
        try {
            queueCatchUps.run();
        } finally {
            synchronized (lock) {
                List<Event> arrived = kept;
                kept = null;
                arrived.forEach(deliver);
                needed.set(false);
            }
        }
    }
}
