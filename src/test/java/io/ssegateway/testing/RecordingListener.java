package io.ssegateway.testing;

import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNull;

/** Records what a broker delivers; takes wait with a timeout instead of sleeping. */
public final class RecordingListener implements BrokerListener {
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger resyncs = new AtomicInteger();

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    @Override
    public void onResync() {
        resyncs.incrementAndGet();
    }

    public int resyncs() {
        return resyncs.get();
    }

    /** The next event, waiting up to {@code timeout}; fails when none comes. */
    public Event take(Duration timeout) {
        try {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout);
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    public List<Event> take(int count, Duration timeout) {
        List<Event> taken = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            taken.add(take(timeout));
        }
        return taken;
    }

    /** Everything received so far, without waiting. */
    public List<Event> drain() {
        List<Event> taken = new ArrayList<>();
        events.drainTo(taken);
        return taken;
    }

    /** Asserts that nothing more arrived. */
    public void assertNoMoreEvents() {
        assertNull(events.poll(), "unexpected event");
    }
}
