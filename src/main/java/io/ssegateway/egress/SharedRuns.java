package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The chunks of the replay runs streams on one event loop write: a run of events becomes one
 * chunk once, and every stream that resumes from the same place writes a view of it.
 *
 * <p>In the resume storm (5,000 clients resume from one id, 1,000 events of about 120 bytes
 * each) every stream copied the same replay into chunks of its own, grown by doubling as the
 * frames came: the copies and the reallocations were 17 % of the event loops' samples. A run is
 * recognised by its events, not by where it was read: two streams share a chunk only when they
 * write the same events, each under its own id, in the same order ({@link Entry#holds}).
 *
 * <p>Bounded: at most {@link #ENTRIES} runs per loop, the least recently used dropped first, and
 * none kept once unused for {@link #IDLE_NANOS}. A chunk wraps a JDK direct buffer, freed by the
 * garbage collector once no entry and no queued write holds it. Event loop only.
 */
final class SharedRuns {
    /** Runs kept per loop: the slices of a few replays at a time (32 KB each: 2 MB per loop). */
    static final int ENTRIES = 64;
    /** A storm's streams write the same runs within seconds of each other; later ones read anew. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Shorter runs are copied into the stream's own chunk, as small frames are: a view and an
     * outbound entry per stream cost more than copying a few frames.
     */
    static final int MIN_EVENTS = 8;

    private static final PerLoop<SharedRuns> PER_LOOP = new PerLoop<>(SharedRuns::new);

    private record Key(EventId first, int count) {
    }

    private static final class Entry {
        private final Event[] events;
        private final ByteBuf chunk;
        private long usedAt;

        Entry(Event[] events, ByteBuf chunk) {
            this.events = events;
            this.chunk = chunk;
        }

        /** The same events in the same order; an id names one event, so equal ids are the same one. */
        boolean holds(List<Event> run) {
            if (events.length != run.size()) {
                return false;
            }
            for (int i = 0; i < events.length; i++) {
                Event mine = events[i];
                Event theirs = run.get(i);
                if (mine != theirs && !mine.id().equals(theirs.id())) {
                    return false;
                }
            }
            return true;
        }
    }

    private final EventLoop loop;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > ENTRIES;
        }
    };
    private boolean sweepScheduled;

    private SharedRuns(EventLoop loop) {
        this.loop = loop;
    }

    /** The runs of the calling event loop thread. */
    static SharedRuns of(EventLoop loop) {
        return PER_LOOP.of(loop);
    }

    /**
     * The run's frames as one complete chunk, shared: the caller writes a duplicate of it and
     * must not change it. {@code run}'s events all have ids.
     */
    ByteBuf chunkOf(List<Event> run) {
        Key key = new Key(run.get(0).id(), run.size());
        Entry e = entries.get(key);
        if (e == null || !e.holds(run)) {
            e = new Entry(run.toArray(new Event[0]), ChunkBuffer.sharedChunk(run));
            entries.put(key, e);
            sweepLater();
        }
        e.usedAt = System.nanoTime();
        return e.chunk;
    }

    int size() {
        return entries.size();
    }

    private void sweepLater() {
        if (sweepScheduled) {
            return;
        }
        try {
            loop.schedule(this::sweep, IDLE_NANOS, TimeUnit.NANOSECONDS);
            sweepScheduled = true;
        } catch (RejectedExecutionException e) {
            // The loop is shutting down; the entries go with it.
        }
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        entries.values().removeIf(e -> now - e.usedAt >= IDLE_NANOS);
        if (!entries.isEmpty()) {
            sweepLater();
        }
    }
}
