package io.ssegateway.egress;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The open SSE streams of this instance, of every endpoint: what {@code /status} lists, what
 * {@code SSE_MAX_CONNECTIONS} limits, what a drain closes, and the counters metrics read.
 */
@Singleton
public class Connections {
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> openByRoute = new ConcurrentHashMap<>();
    private final LongAdder opened = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final List<IntConsumer> countListeners = new CopyOnWriteArrayList<>();

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
        openByRoute.computeIfAbsent(stream.identity().route(), k -> new AtomicInteger()).incrementAndGet();
        opened.increment();
        fire();
        return true;
    }

    void remove(SseStream stream) {
        if (streams.remove(stream)) {
            openByRoute.get(stream.identity().route()).decrementAndGet();
            open.decrementAndGet();
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

    /** Open streams of one route ({@link SseRoute#name()}). */
    public int count(String route) {
        AtomicInteger n = openByRoute.get(route);
        return n == null ? 0 : n.get();
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
        delivered.add(events);
    }

    void countSlow() {
        slow.increment();
    }

    public long openedTotal() {
        return opened.sum();
    }

    public long deliveredTotal() {
        return delivered.sum();
    }

    public long slowDisconnects() {
        return slow.sum();
    }
}
