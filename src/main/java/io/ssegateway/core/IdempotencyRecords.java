package io.ssegateway.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Idempotency-Key} records of the local broker, in memory: the same decisions
 * {@code publish.lua} makes in Redis. Not thread-safe; the broker's lock guards it, so that a
 * record changes in the same step as the event is stored.
 */
final class IdempotencyRecords {
    /**
     * Ids remembered at most, over all keys: what the window would hold at a sustained 660 keyed
     * publishes/s for 5 min, about 15 MB. Past it a new key is refused (503, nothing published)
     * rather than an old one forgotten early, which would let its retry publish twice.
     */
    static final int MAX_IDS = 200_000;
    // No owner or lease, unlike in Redis: with one instance, the publisher already refuses a
    // second attempt while one runs, so an attempt that left a batch half done is gone.
    private record Entry(String fingerprint, List<EventId> ids, long expiresAt) {
    }

    // Ordered by last update; with one window for all keys that is also the order of expiry.
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int ids;

    /** What the step gets instead of being published, or null when it is to be published. */
    KeyedResult check(KeyedStep step, long now) {
        expire(now);
        Entry e = entries.get(step.key().scoped());
        if (e == null) {
            if (step.index() > 0) {
                // The record of a batch already begun is gone: publishing on would forget the start.
                return new KeyedResult.InUse();
            }
            if (ids >= MAX_IDS) {
                throw new GatewayException(Reason.BROKER_UNAVAILABLE,
                        "too many Idempotency-Keys within the window; retry later");
            }
            return null;
        }
        if (!e.fingerprint().equals(step.key().fingerprint())) {
            return new KeyedResult.Mismatch();
        }
        if (e.ids().size() >= step.total()) {
            return new KeyedResult.Completed(List.copyOf(e.ids()));
        }
        if (step.index() < e.ids().size()) {
            return new KeyedResult.AlreadyPublished(e.ids().get(step.index()));
        }
        return step.index() == e.ids().size() ? null : new KeyedResult.InUse();
    }

    /** Adds the id of the step just published to its key's record. */
    void record(KeyedStep step, EventId id, long now) {
        Entry old = entries.remove(step.key().scoped());
        List<EventId> list = old == null ? new ArrayList<>() : new ArrayList<>(old.ids());
        list.add(id);
        ids++;
        entries.put(step.key().scoped(), new Entry(step.key().fingerprint(), list, now + step.key().window().toMillis()));
    }

    private void expire(long now) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.expiresAt() > now) {
                return;
            }
            ids -= e.ids().size();
            it.remove();
        }
    }
}
