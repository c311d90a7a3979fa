package io.ssegateway.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.function.Function;

/**
 * One instance of a loop's helper ({@link FlushBatcher}, {@link SliceTurns}, {@link SharedRuns})
 * for the event loop the calling thread runs, found without a lock: in a server each loop has a
 * thread of its own, so a thread-local holds it, and the lookup on the hot path (every flush
 * asks) is a field compare.
 *
 * <p>A thread that runs several loops (tests drive each {@code EmbeddedChannel}'s loop on their
 * own thread) gets a new instance whenever the loop it asks for changes. The helpers allow
 * that: work already handed to an instance is run by that instance's own task on its loop.
 */
final class PerLoop<T> {
    private record Slot<T>(EventLoop loop, T value) {
    }

    private final Function<EventLoop, T> make;
    private final FastThreadLocal<Slot<T>> slot = new FastThreadLocal<>();

    PerLoop(Function<EventLoop, T> make) {
        this.make = make;
    }

    /** The instance for {@code loop}; call on its thread. */
    T of(EventLoop loop) {
        Slot<T> s = slot.get();
        if (s == null || s.loop() != loop) {
            s = new Slot<>(loop, make.apply(loop));
            slot.set(s);
        }
        return s.value();
    }
}
