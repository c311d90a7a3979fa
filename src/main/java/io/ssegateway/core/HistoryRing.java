package io.ssegateway.core;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The retained events of one namespace in the local broker, oldest first, bounded by count.
 * Remembers the newest id it dropped (the horizon): a resume from before it has a gap.
 * Not thread-safe; {@link LocalBroker} guards it.
 */
final class HistoryRing implements Iterable<Event> {
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ArrayDeque<Long> stampedAt = new ArrayDeque<>();
    private final int maxLength;
    private EventId horizon;

    HistoryRing(int maxLength) {
        this.maxLength = maxLength;
    }

    void add(Event event, long nowMillis) {
        events.addLast(event);
        stampedAt.addLast(nowMillis);
        while (events.size() > maxLength) {
            dropOldest();
        }
    }

    /** Drops events stored before {@code cutoffMillis}. */
    void expire(long cutoffMillis) {
        while (!stampedAt.isEmpty() && stampedAt.peekFirst() < cutoffMillis) {
            dropOldest();
        }
    }

    private void dropOldest() {
        horizon = events.removeFirst().id();
        stampedAt.removeFirst();
    }

    EventId horizon() {
        return horizon;
    }

    Event oldest() {
        return events.peekFirst();
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    Iterator<Event> newestFirst() {
        return events.descendingIterator();
    }

    @Override
    public Iterator<Event> iterator() {
        return events.iterator();
    }
}
