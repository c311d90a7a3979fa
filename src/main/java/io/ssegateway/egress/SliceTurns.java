package io.ssegateway.egress;

import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Takes turns among the streams of one event loop that have the next slice of a backlog (a
 * replay, or the live events held during one) to write: at most {@link #SLICES_PER_TURN}
 * slices per pass of the loop, in the order the streams became ready, and each stream at most
 * one slice a turn. What is left waits for the loop's next pass, after its I/O and the tasks
 * queued before it.
 *
 * <p>Why: with each next slice queued as a task of its own, a loop's task queue held the next
 * slice of every stream being replayed (125 per loop in the resume storm), and Netty runs all
 * of them, and the ones they queue in turn, before it reads a socket again. A publish on that
 * loop waited in that queue three times: for its request to be read, for its answer to be
 * written, and for that write to be sent. Per-stage timestamps of each publish in scenario r
 * (BENCHMARKS.md) put 600-700 ms of a 1.6 s p99 in those waits.
 *
 * <p>One per event loop ({@link PerLoop}); used only from that loop's thread. A stream has at
 * most one slice waiting at a time, so a thread that runs several loops in tests, and gets a new
 * instance when it changes loops, keeps each stream's slices in order.
 */
final class SliceTurns implements Runnable {
    /**
     * Slices one pass of a loop may write: 256 KiB at {@code Sink.SLICE_BYTES}, a fraction of a
     * millisecond of copying, so whatever else the loop has waits at most about that long.
     */
    static final int SLICES_PER_TURN = 8;
    private static final PerLoop<SliceTurns> PER_LOOP = new PerLoop<>(SliceTurns::new);

    private final EventLoop loop;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private boolean queued;

    private SliceTurns(EventLoop loop) {
        this.loop = loop;
    }

    /** The turns of {@code loop}; call on its thread. */
    static SliceTurns of(EventLoop loop) {
        return PER_LOOP.of(loop);
    }

    /** Runs {@code slice} in a coming turn of the loop. */
    void add(Runnable slice) {
        ready.add(slice);
        if (!queued) {
            queued = true;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        // Only those ready when the turn began: a slice that readies its stream's next one at
        // once (the socket took it whole) does not write the whole backlog in this pass.
        int n = Math.min(ready.size(), SLICES_PER_TURN);
        for (int i = 0; i < n; i++) {
            ready.poll().run();
        }
        if (ready.isEmpty()) {
            queued = false;
        } else {
            // A task scheduled now runs in the loop's next pass, after its I/O; one executed
            // now would run in this pass, before any socket is read.
            loop.schedule(this, 0, TimeUnit.NANOSECONDS);
        }
    }
}
