package io.ssegateway.egress;

import io.netty.channel.EventLoop;

import java.util.ArrayList;

/**
 * Coalesces flushes on one event loop: a stream that has written asks for a flush, and all the
 * streams that asked are flushed by one task queued behind the work already waiting. When events
 * arrive in a burst, their fan-out tasks are queued before that flush, so one system call per
 * connection carries several events instead of one each.
 *
 * <p>One instance per event loop ({@link PerLoop}); used only from that loop's thread.
 */
final class FlushBatcher implements Runnable {
    private static final PerLoop<FlushBatcher> PER_LOOP = new PerLoop<>(FlushBatcher::new);

    private final EventLoop loop;
    private ArrayList<StreamWriter> dirty = new ArrayList<>();
    private ArrayList<StreamWriter> spare = new ArrayList<>();
    private boolean scheduled;

    private FlushBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** The batcher of the calling event loop thread. */
    static FlushBatcher of(EventLoop loop) {
        return PER_LOOP.of(loop);
    }

    void request(StreamWriter stream) {
        dirty.add(stream);
        if (!scheduled) {
            scheduled = true;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        ArrayList<StreamWriter> batch = dirty;
        dirty = spare;
        spare = batch;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).flushNow();
        }
        batch.clear();
    }
}
