package io.ssegateway.egress;

import io.ssegateway.core.Metrics;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The open SSE streams of this instance, of every endpoint: what {@code /status} lists, what
 * {@code SSE_MAX_CONNECTIONS} limits, what a drain closes. What happens to them (opened, closed,
 * delivered to, cut as slow) is told to the one {@link Metrics} observer.
 */
@Singleton
public class Connections {
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final List<IntConsumer> countListeners = new CopyOnWriteArrayList<>();
    private volatile Metrics metrics = Metrics.NONE;

    /** Registers the one observer of what happens to streams; replaces the previous one. */
    public void observe(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Admits a stream unless {@code max} (when positive) streams are already open. */
    boolean tryAdd(SseStream stream, int max) {
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                break;
            }
        }
        streams.add(stream);
        metrics.streamOpened(stream.identity().route());
        fire();
        return true;
    }

    void remove(SseStream stream) {
        if (streams.remove(stream)) {
            open.decrementAndGet();
            metrics.streamClosed(stream.identity().route());
            fire();
        }
    }

    private void fire() {
        int n = open.get();
        for (IntConsumer listener : countListeners) {
            listener.accept(n);
        }
    }

    /** Hears the number of open streams whenever it changes. Must not block. */
    public void onCountChange(IntConsumer listener) {
        countListeners.add(listener);
    }

    public void removeCountListener(IntConsumer listener) {
        countListeners.remove(listener);
    }

    public int count() {
        return open.get();
    }

    public List<SseStream> streams() {
        return new ArrayList<>(streams);
    }

    /** Who the open streams are, for status pages: read without touching their write paths. */
    public List<StreamIdentity> identities() {
        List<StreamIdentity> out = new ArrayList<>(streams.size());
        for (SseStream s : streams) {
            out.add(s.identity());
        }
        return out;
    }

    void countDelivered(int events) {
        metrics.delivered(events);
    }

    void countSlow() {
        metrics.slowCut();
    }
}
