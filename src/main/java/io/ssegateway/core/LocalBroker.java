package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The in-process broker: one instance, history in memory. It keeps every promise of
 * {@link Broker}; its epoch is new at every start, since a restart loses the history.
 *
 * <p>One lock orders everything: publish assigns the id, stores the event and hands it to the
 * listener while holding it, so the listener sees events in id order.
 */
public final class LocalBroker implements Broker {
    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());
    /** How often (in publishes) rings of idle namespaces are swept for expired events. */
    private static final int SWEEP_EVERY = 1024;

    private final HistoryPolicy policy;
    private final Clock clock;
    private final String epoch;
    private final Map<Namespace, HistoryRing> rings = new HashMap<>();
    private final IdempotencyRecords keys = new IdempotencyRecords();
    private BrokerListener listener;
    private long lastMillis;
    private long seq;
    private EventId head;
    private long publishes;
    private volatile boolean closed;

    public LocalBroker(HistoryPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.epoch = newEpoch();
    }

    /** A random epoch: 10 base-36 characters. */
    public static String newEpoch() {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            s.append(Character.forDigit(random.nextInt(36), 36));
        }
        return s.toString();
    }

    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized void listen(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Event> publish(EventDraft draft) {
        if (closed) {
            return CompletableFuture.failedFuture(new GatewayException(Reason.BROKER_UNAVAILABLE, "broker is closed"));
        }
        synchronized (this) {
            long now = clock.millis();
            lastMillis = Math.max(now, lastMillis);
            EventId id = new EventId(epoch, lastMillis, ++seq);
            Event event = new Event(id, draft);
            long cutoff = now - policy.maxAge().toMillis();
            for (Namespace n : draft.namespaces()) {
                HistoryRing ring = rings.computeIfAbsent(n, k -> new HistoryRing(policy.maxLength()));
                ring.expire(cutoff);
                ring.add(event, now);
            }
            head = id;
            if (++publishes % SWEEP_EVERY == 0) {
                sweep(cutoff);
            }
            if (listener != null) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "listener failed on " + id, e);
                }
            }
            return CompletableFuture.completedFuture(event);
        }
    }

    @Override
    public CompletableFuture<KeyedResult> publish(EventDraft draft, KeyedStep step) {
        synchronized (this) {
            long now = clock.millis();
            KeyedResult instead;
            try {
                instead = keys.check(step, now);
            } catch (GatewayException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (instead != null) {
                return CompletableFuture.completedFuture(instead);
            }
            // Under the same lock: the record and the event change together.
            return publish(draft).thenApply(event -> {
                keys.record(step, event.id(), now);
                return new KeyedResult.Published(event);
            });
        }
    }

    private void sweep(long cutoff) {
        Iterator<HistoryRing> it = rings.values().iterator();
        while (it.hasNext()) {
            HistoryRing ring = it.next();
            ring.expire(cutoff);
            if (ring.isEmpty()) {
                // Its horizon is older than the age bound, which replay checks on its own.
                it.remove();
            }
        }
    }

    @Override
    public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
        return CompletableFuture.completedFuture(read(topics, after, -1, limit));
    }

    @Override
    public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
        return CompletableFuture.completedFuture(read(topics, null, Math.max(0, sinceMillis), limit));
    }

    /**
     * A replay, under the lock that publishes take: its work is bounded by the limit
     * ({@link HistoryMerge}), so a storm of resumes holds publishing up by little each.
     */
    private synchronized Replay read(List<Namespace> topics, EventId after, long sinceMillis, int limit) {
        long now = clock.millis();
        long cutoff = now - policy.maxAge().toMillis();
        boolean gap = false;
        if (after != null && (!after.epoch().equals(epoch) || head == null || after.isAfter(head) || after.millis() < cutoff)) {
            // Another life of the history, an id we never gave out, or older than the age bound.
            gap = true;
            after = null;
        }
        long since = after == null ? sinceMillis : -1;
        if (since >= 0 && since < cutoff) {
            // Older than the age bound: what was published before it is gone, or may be.
            gap = true;
        }
        List<HistoryRing> covered = new ArrayList<>();
        EventId oldest = null;
        for (Map.Entry<Namespace, HistoryRing> entry : rings.entrySet()) {
            if (!coveredByAny(topics, entry.getKey())) {
                continue;
            }
            HistoryRing ring = entry.getValue();
            ring.expire(cutoff);
            EventId horizon = ring.horizon();
            if (horizon != null && (after != null ? horizon.isAfter(after) : since >= cutoff && horizon.millis() >= since)) {
                gap = true;
            }
            Event first = ring.oldest();
            if (first != null && (oldest == null || oldest.isAfter(first.id()))) {
                oldest = first.id();
            }
            covered.add(ring);
        }
        EventId from = after;
        List<Event> events = HistoryMerge.newest(covered, limit + 1,
                e -> from != null ? e.id().isAfter(from) : e.id().millis() >= since);
        if (events.size() > limit) {
            events = events.subList(1, events.size());
            gap = true;
        }
        return new Replay(events, gap, oldest);
    }

    static boolean coveredByAny(List<Namespace> topics, Namespace n) {
        for (Namespace t : topics) {
            if (t.covers(n)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized CompletableFuture<EventId> head() {
        return CompletableFuture.completedFuture(head);
    }

    @Override
    public boolean isHealthy() {
        return !closed;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public void close() {
        closed = true;
    }
}
